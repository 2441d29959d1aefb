from django.db import migrations

from cunwu.privacy.services import reseal_rows


def encrypt_rows(apps, schema_editor):
    """Seal phone numbers written in plain text; the plain pages are erased by privacy 0002_erase_plaintext."""
    reseal_rows(apps.get_model("accounts", "User"), ["phone"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_encrypt_phone")]

    operations = [migrations.RunPython(encrypt_rows, migrations.RunPython.noop)]
