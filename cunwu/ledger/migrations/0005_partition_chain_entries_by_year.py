from django.db import migrations

from cunwu.partitions import partition_by_year


class Migration(migrations.Migration):
    """On PostgreSQL the chain entries become a table partitioned by year of `recorded_at` (cunwu/partitions.py)."""

    dependencies = [("ledger", "0004_leaves_for_existing_checkpoints")]
    operations = [partition_by_year("ledger_chainentry")]
