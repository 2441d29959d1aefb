"""A BRIN index on the time a seal was used (PostgreSQL only; docs/scaling.md).

Seal uses have incoming foreign keys and stay unpartitioned; (region, stamped_at) already serves one
village's register, the BRIN index serves the province-wide period scans.
"""

from django.db import migrations

from cunwu.partitions import brin_index


class Migration(migrations.Migration):
    dependencies = [("seals", "0003_use_names_as_stamped")]

    operations = [brin_index("seals_sealuse", "stamped_at")]
