from django.db import migrations

from cunwu.masking import mask_name
from cunwu.privacy.services import reseal_rows

PERSONAL = [
    "applicant_name",
    "applicant_id_number",
    "applicant_id_number_hmac",
    "applicant_phone",
    "applicant_phone_hmac",
    "agent_name",
    "agent_id_number",
    "agent_phone",
]


def encrypt_rows(apps, schema_editor):
    """Seal the rows written in plain text; the plain pages are erased by privacy 0002_erase_plaintext."""
    Application = apps.get_model("certificates", "Application")
    Certificate = apps.get_model("certificates", "Certificate")
    for pk, name in Application.objects.values_list("pk", "applicant_name").iterator():
        Application.objects.filter(pk=pk).update(applicant_name_masked=mask_name(name))
    reseal_rows(Application, PERSONAL)
    reseal_rows(Certificate, ["content"])


class Migration(migrations.Migration):
    # Apart from the schema change: PostgreSQL builds deferred indexes at the end of a migration,
    # which it refuses after rows were updated in the same transaction.
    dependencies = [("certificates", "0002_encrypt_personal_data")]

    operations = [migrations.RunPython(encrypt_rows, migrations.RunPython.noop)]
