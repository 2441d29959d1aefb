"""Indexes that keep a village's register for a period within budget at province scale (docs/scaling.md).

Applications and certificates have incoming foreign keys (materials, copies, certificates), so they
stay unpartitioned: a B-tree on (village, time) serves one village's register, and a BRIN index on
the time column (PostgreSQL only, a few hundred kilobytes for millions of rows) serves the
province-wide period scans of dashboards and reports.
"""

from django.db import migrations, models

from cunwu.partitions import brin_index


class Migration(migrations.Migration):
    dependencies = [("certificates", "0004_application_withdrawn_at")]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["region", "received_at"], name="certapp_region_received_idx"),
        ),
        brin_index("certificates_application", "received_at"),
        brin_index("certificates_certificate", "issued_at"),
    ]
