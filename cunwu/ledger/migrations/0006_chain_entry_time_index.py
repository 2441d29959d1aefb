from django.db import migrations, models


class Migration(migrations.Migration):
    """(chain, recorded_at): a village's or a county's entries for a period read only that region's index range.

    On PostgreSQL the index is created on the partitioned table and so on every yearly partition.
    """

    dependencies = [("ledger", "0005_partition_chain_entries_by_year")]
    operations = [
        migrations.AddIndex(
            model_name="chainentry",
            index=models.Index(fields=["chain", "recorded_at"], name="ledger_entry_chain_time_idx"),
        ),
    ]
