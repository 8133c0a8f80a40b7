from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.registry import import_agencies_csv
from govit.errors import InputRejected


class Command(BaseCommand):
    help = "Import agencies from a CSV (code,name_vi,name_en,kind,parent_code,valid_from,valid_to); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp / Cannot read the file: {exc}") from exc
        try:
            counts = import_agencies_csv(data)
        except InputRejected as exc:
            raise CommandError(
                "Không nhập gì / Nothing imported:\n" + "\n".join(e.bilingual() for e in exc.errors)
            ) from exc
        self.stdout.write("Đã nhập / Imported: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
