"""The admins' view of the append-only audit log (django-auditlog) and what feeds it."""
