from django.db import migrations, models


class Migration(migrations.Migration):
    """(region_code, at): a village's or a province's audit rows for a period without reading other regions'.

    On PostgreSQL the index is created on the partitioned table and so on every yearly partition.
    """

    dependencies = [("audit", "0004_partition_audit_log_by_year")]
    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["region_code", "at"], name="audit_region_at_idx"),
        ),
    ]
