"""The plan event log is append-only: PostgreSQL refuses UPDATE and DELETE on its table."""

from django.db import migrations

from govit.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [append_only("plans_planevent", "plan events are append-only")]
