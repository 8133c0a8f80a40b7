from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.catalog.loader import load_framework
from govit.errors import InputRejected


class Command(BaseCommand):
    help = "Load a requirement catalog (formats.md §1); idempotent, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp / Cannot read the file: {exc}") from exc
        try:
            result = load_framework(data)
        except InputRejected as exc:
            raise CommandError(
                "Không nạp gì / Nothing loaded:\n" + "\n".join(e.bilingual() for e in exc.errors)
            ) from exc
        fw = result.framework
        if result.created:
            self.stdout.write(f"Đã nạp / Loaded: {fw.code} {fw.version} ({fw.indicators.count()} indicators)")
        else:
            self.stdout.write(f"Không đổi / Unchanged: {fw.code} {fw.version}")
