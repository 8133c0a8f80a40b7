from django.core.management.base import BaseCommand, CommandError

from agencies.models import User
from assessments.values.importer import IMPORT_STATUSES
from assessments.values.models import ValueStatus
from assessments.values.services import import_values
from govit.commands import all_or_nothing, read_input


class Command(BaseCommand):
    help = "Import indicator values from CSV or XLSX (formats.md §2) into a period; all or nothing, idempotent."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--framework", required=True, help="framework code, e.g. CNTT-64")
        parser.add_argument("--period", required=True, type=int, help="year")
        parser.add_argument("--status", default=ValueStatus.DRAFT, choices=[s.value for s in IMPORT_STATUSES])
        parser.add_argument("--user", help="stamp the values with this user (default: none, the system)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")

    def handle(self, *args, file, framework, period, status, user, dry_run, **options):
        data = read_input(file)
        stamp = None
        if user:
            stamp = User.objects.filter(username=user).first()
            if stamp is None:
                raise CommandError(f"Không có người dùng / No such user: {user}")
        with all_or_nothing():
            # The operator runs the command: role checks apply to web and API uploads, not here.
            summary = import_values(data, framework, period, status, user=None, author=stamp, dry_run=dry_run,
                                    filename=file)
        label = "Kiểm tra / Dry run" if dry_run else "Đã nhập / Imported"
        self.stdout.write(f"{label}: " + ", ".join(f"{k}={v}" for k, v in summary.items()))
