from django.core.management.base import BaseCommand

from agencies.registry import import_agencies_csv
from govit.commands import all_or_nothing, read_input


class Command(BaseCommand):
    help = "Import agencies from a CSV (code,name_vi,name_en,kind,parent_code,valid_from,valid_to); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        data = read_input(file)
        with all_or_nothing():
            counts = import_agencies_csv(data)
        self.stdout.write("Đã nhập / Imported: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
