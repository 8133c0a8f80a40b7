"""Periods: opened idempotently per (framework code, year), default deadline, closed by admins."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from assessments.catalog.models import Period, PeriodStatus
from assessments.catalog.periods import close_period, create_period
from govit.errors import InputRejected


@pytest.mark.django_db
def test_create_period_is_idempotent_with_a_default_deadline(framework):
    first = create_period("SAMPLE", 2024)
    assert first.created and first.period.deadline == datetime.date(2025, 3, 31)
    assert (first.period.start_date, first.period.end_date) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    again = create_period("SAMPLE", 2024)
    assert not again.created and again.period.pk == first.period.pk and Period.objects.count() == 1


@pytest.mark.django_db
def test_deadline_is_configurable(framework, settings):
    settings.ASSESSMENT_DEADLINE_MONTH_DAY = (6, 30)
    assert create_period("SAMPLE", 2024).period.deadline == datetime.date(2025, 6, 30)
    assert create_period("SAMPLE", 2024, datetime.date(2025, 4, 15)).period.deadline == datetime.date(2025, 4, 15)


@pytest.mark.django_db
def test_unknown_framework_code_is_refused(framework):
    with pytest.raises(InputRejected) as exc:
        create_period("NOPE", 2024)
    assert exc.value.errors[0].where == "framework"
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_command(framework, capsys):
    call_command("create_period", "SAMPLE", "2024", "--deadline", "2025-04-01")
    assert Period.objects.get().deadline == datetime.date(2025, 4, 1)
    assert "SAMPLE 2024" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("create_period", "NOPE", "2024")


@pytest.mark.django_db
def test_only_admins_manage_periods(framework, make_user, period):
    with pytest.raises(PermissionDenied):
        create_period("SAMPLE", 2025, user=make_user("r", "reviewer"))
    with pytest.raises(PermissionDenied):
        close_period(period, user=make_user("r2", "reviewer"))
    closed = close_period(period, user=make_user("a", "admin"))
    assert closed.status == PeriodStatus.CLOSED and closed.closed_at is not None
    assert create_period("SAMPLE", 2024).period.status == PeriodStatus.CLOSED  # not reopened behind anyone's back
