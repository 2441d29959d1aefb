from django.db import migrations

from cunwu.partitions import partition_by_year


class Migration(migrations.Migration):
    """On PostgreSQL the audit log becomes a table partitioned by year of `at` (see cunwu/partitions.py)."""

    dependencies = [("audit", "0003_actor_outlives_account")]
    operations = [partition_by_year("audit_auditentry")]
