import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from agencies.models import User


@pytest.mark.django_db
def test_govit_user_create_with_token_prints_the_token_last(registry):
    out = io.StringIO()
    call_command("govit_user", "create", "an", "--role", "agency_staff", "--agency", "H26",
                 "--with-descendants", "--token", stdout=out)
    token = out.getvalue().split()[-1]
    user = User.objects.get(username="an")
    assert user.role == "agency_staff" and user.agency.code == "000.00.00.H26" and user.with_descendants
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/agencies/").status_code == 200


@pytest.mark.django_db
def test_password_from_stdin(registry, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("A-long-enough-passphrase-42\n"))
    out = io.StringIO()
    call_command("govit_user", "create", "binh", "--role", "reviewer", "--password-stdin", stdout=out)
    assert User.objects.get(username="binh").check_password("A-long-enough-passphrase-42")
    assert "A-long-enough" not in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["x", "--role", "agency_staff"],  # an agency role without an agency
        ["x", "--role", "agency_lead", "--agency", "H99"],  # unknown agency
    ],
)
def test_bad_user_requests_are_refused(registry, args):
    with pytest.raises(CommandError):
        call_command("govit_user", "create", *args, stdout=io.StringIO())
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_weak_password_is_refused(registry, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError):
        call_command("govit_user", "create", "c", "--role", "observer", "--password-stdin", stdout=io.StringIO())


@pytest.mark.django_db
def test_demo_users_cover_every_role(registry):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin", "reviewer", "observer", "agency_staff", "agency_lead",
    }
    line = next(line for line in out.getvalue().splitlines() if line.strip().startswith("thamdinh"))
    password = line.split()[2]
    assert User.objects.get(username="thamdinh").check_password(password)
