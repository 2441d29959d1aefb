from django.db import migrations


def leaves_for_existing_checkpoints(apps, schema_editor):
    """Every checkpoint published so far becomes a leaf, oldest first (inserts only: both tables append-only)."""
    Checkpoint = apps.get_model("ledger", "Checkpoint")
    TreeLeaf = apps.get_model("ledger", "TreeLeaf")
    ids = Checkpoint.objects.order_by("created_at", "id").values_list("id", flat=True)
    TreeLeaf.objects.bulk_create(
        [TreeLeaf(index=i, checkpoint_id=pk) for i, pk in enumerate(ids.iterator())], batch_size=2000
    )


class Migration(migrations.Migration):
    # Apart from the tables: PostgreSQL refuses the deferred index builds after inserts in one transaction.
    dependencies = [("ledger", "0003_signed_tree_heads")]

    operations = [migrations.RunPython(leaves_for_existing_checkpoints, migrations.RunPython.noop)]
