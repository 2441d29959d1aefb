"""Indexes no query uses, dropped to bring the three-year province within its disk budget (docs/scaling.md).

- `requesting_agency` (searched with icontains, grouped over the scope: no B-tree serves either),
  the phone's blind index (no query looks an application up by phone), `applicant_name_masked` and
  its `_like` twin (matched only inside an OR with icontains), the certificates' `item_code`;
- the single-column `region_id` indexes and their `_like` twins: every query on region is a range or
  an equality that the (region, …) indexes and unique constraints, which begin with it, serve.

On PostgreSQL the ID number's blind index becomes a hash index under the same name: lookups are by
equality only, and a hash index stores a 4-byte hash instead of the 64-character key (4–5 MB instead
of 13 MB at 5 % of the province). SQLite keeps the B-tree.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

_BLIND = "certapp_id_number_hmac_idx"


def _hash_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {_BLIND}")
        schema_editor.execute(
            f"CREATE INDEX {_BLIND} ON certificates_application USING hash (applicant_id_number_hmac)"
        )


def _btree_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {_BLIND}")
        schema_editor.execute(f"CREATE INDEX {_BLIND} ON certificates_application (applicant_id_number_hmac)")


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0007_blind_index_plain_indexes"),
        ("regions", "0002_region_search_keys"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="application",
            name="certificate_request_98e636_idx",
        ),
        migrations.RemoveIndex(
            model_name="application",
            name="certapp_phone_hmac_idx",
        ),
        migrations.RemoveIndex(
            model_name="certificate",
            name="certificate_item_co_623485_idx",
        ),
        migrations.AlterField(
            model_name="application",
            name="applicant_name_masked",
            field=models.CharField(blank=True, max_length=64, verbose_name="申请人姓名（脱敏）"),
        ),
        migrations.AlterField(
            model_name="application",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="村（社区）",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="出具单位",
            ),
        ),
        migrations.RunPython(_hash_index, _btree_index),
    ]
