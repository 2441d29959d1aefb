from django.db import migrations

from cunwu.privacy.storage import erase_freed_pages

TABLES = ["certificates_application", "certificates_certificate", "accounts_user"]


def erase(apps, schema_editor):
    """No plain copy of the rows sealed by certificates 0003 and accounts 0003 survives on disk."""
    erase_freed_pages(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("privacy", "0001_data_keys"),
        ("certificates", "0003_seal_existing_rows"),
        ("accounts", "0003_seal_existing_phones"),
    ]

    operations = [migrations.RunPython(erase, migrations.RunPython.noop)]
