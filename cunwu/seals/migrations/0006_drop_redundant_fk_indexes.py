"""The seal and region foreign keys of seal requests and uses lose their single-column indexes (and the
region's `_like` twin): (region, status), (seal, status), (region, stamped_at) and (seal, stamped_at)
begin with them and serve every query on them (docs/scaling.md, disk per table).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_region_search_keys"),
        ("seals", "0005_register_recent_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sealrequest",
            name="region",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region"
            ),
        ),
        migrations.AlterField(
            model_name="sealrequest",
            name="seal",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requests",
                to="seals.seal",
                verbose_name="印章",
            ),
        ),
        migrations.AlterField(
            model_name="sealuse",
            name="region",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region"
            ),
        ),
        migrations.AlterField(
            model_name="sealuse",
            name="seal",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="uses", to="seals.seal"
            ),
        ),
    ]
