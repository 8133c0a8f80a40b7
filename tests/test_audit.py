"""Audit log: every change to users and roles is recorded with who, before/after, when and where."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, transaction

from agencies.models import User


@pytest.mark.django_db
def test_role_change_through_the_admin_is_audited_with_actor_and_address(client, make_user):
    admin = make_user("root", "admin")
    target = make_user("staff1", "observer")
    client.force_login(admin)
    response = client.post(
        f"/admin/agencies/user/{target.pk}/change/",
        {"username": "staff1", "role": "reviewer", "is_active": "on", "date_joined_0": "2026-01-01",
         "date_joined_1": "00:00:00"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302, response.content[:500]
    entry = LogEntry.objects.get_for_object(target).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == admin
    assert entry.remote_addr == "10.1.2.3"
    assert entry.changes_dict["role"] == ["observer", "reviewer"]
    assert "password" not in entry.changes_dict


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(make_user):
    make_user("someone", "observer")
    entry = LogEntry.objects.get_for_model(User).latest("timestamp")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(changes="{}")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()
