"""The seals registers refuse UPDATE and DELETE on PostgreSQL (state tables stay updatable)."""

from django.db import migrations

from cunwu.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("seals", "0001_registry_requests_register_handover")]

    operations = [
        append_only("seals_sealevent"),
        append_only("seals_sealdocument"),
        append_only("seals_sealresolution"),
        append_only("seals_sealuse"),
        append_only("seals_sealrefusal"),
        append_only("seals_sealhandoveritem"),
    ]
