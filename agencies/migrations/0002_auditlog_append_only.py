"""The audit log is append-only: PostgreSQL refuses UPDATE and DELETE on its table."""

from django.db import migrations

from govit.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [append_only("auditlog_logentry", "the audit log is append-only")]
