import datetime

from django.core.management.base import BaseCommand, CommandError

from assessments.catalog.periods import create_period
from govit.dates import ISO, parse_day
from govit.errors import InputRejected


def _date(raw: str) -> datetime.date:
    day = parse_day(raw, ISO)
    if day is None:
        raise CommandError(f"Ngày không hợp lệ / Not a date (YYYY-MM-DD): {raw}")
    return day


class Command(BaseCommand):
    help = (
        "Open the assessment period CODE YEAR (idempotent). The deadline defaults to 31 March of YEAR+1 "
        "(setting ASSESSMENT_DEADLINE_MONTH_DAY)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="framework code, e.g. CNTT-64")
        parser.add_argument("year", type=int)
        parser.add_argument("--deadline", type=_date, help="YYYY-MM-DD")

    def handle(self, *args, code, year, deadline, **options):
        try:
            result = create_period(code, year, deadline)
        except InputRejected as exc:
            raise CommandError("\n".join(e.bilingual() for e in exc.errors)) from exc
        p = result.period
        state = "Đã mở / Opened" if result.created else "Đã có / Exists"
        self.stdout.write(f"{state}: {p.framework_code} {p.year}, hạn / deadline {p.deadline}, {p.status}")
