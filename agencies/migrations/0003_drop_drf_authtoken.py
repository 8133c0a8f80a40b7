"""DRF's authtoken app is replaced by django-rest-knox, which stores only a digest of each token.

The old table held the keys in clear text; it is dropped. Its tokens cannot become knox tokens (only
their digests would be kept, and knox's digests are of its own longer keys): clients get new tokens
(`govit_user` or the admin).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_auditlog_append_only")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)]
