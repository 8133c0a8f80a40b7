import time

from django.core.management.base import BaseCommand, CommandError

from assessments.catalog.selectors import latest_framework, period_of
from assessments.scores import runs
from assessments.scores.models import RunStatus, ScoreRun


class Command(BaseCommand):
    help = "Compute the readiness scores of a framework and period (a score run)."

    def add_arguments(self, parser):
        parser.add_argument("--framework", required=True, help="framework code, e.g. CNTT-64")
        parser.add_argument("--period", required=True, type=int, help="year of the period")
        parser.add_argument("--wait", action="store_true", help="return when the run is committed")
        parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait at most")

    def handle(self, *args, framework, period, wait, timeout, **options):
        fw = latest_framework(framework)
        if fw is None:
            raise CommandError(f"Không có bộ tiêu chí {framework} / Unknown framework {framework}")
        per = period_of(fw.code, period)
        if per is None:
            raise CommandError(
                f"Bộ tiêu chí {fw.code} chưa có kỳ {period} / Framework {fw.code} has no period {period}"
            )
        from plans.feed import sync_plan_indicators

        sync_plan_indicators(fw, per)  # the plan indicators come from the plans, not from reports
        run, created = runs.request_run(fw, per, reason="command")
        verb = ("Đã yêu cầu", "requested") if created else ("Gộp vào", "joined")
        self.stdout.write(f"{verb[0]} lượt tính {run.pk} / {verb[1]} run {run.pk} ({fw.code} {fw.version}, {period})")
        if not wait:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = ScoreRun.objects.get(pk=run.pk)
            if run.status == RunStatus.DONE and run.rerun_requested:
                # Values changed while it ran: the follow-up run has the latest ones.
                later = ScoreRun.objects.filter(framework=run.framework, period=run.period,
                                                requested_at__gt=run.requested_at).order_by("requested_at")
                run = later.first() or run
                if run.status != RunStatus.DONE:
                    continue
            if run.status == RunStatus.DONE:
                self.stdout.write(f"Xong / done: {run.agencies_count} agencies, {run.values_count} values, "
                                  f"{run.duration_seconds:.2f} s")
                return
            if run.status == RunStatus.FAILED:
                raise CommandError(f"Lượt tính thất bại / run failed: {run.error}")
            self.stdout.write(f"  {runs.run_progress(run) * 100:.0f} %")
            time.sleep(1)
        raise CommandError("Hết thời gian chờ / timed out waiting for the run")
