from django.db import migrations

from cunwu.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [append_only("ledger_chainentry"), append_only("ledger_checkpoint")]
