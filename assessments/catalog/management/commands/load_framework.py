from django.core.management.base import BaseCommand

from assessments.catalog.loader import load_framework
from govit.commands import NOTHING_LOADED, all_or_nothing, read_input


class Command(BaseCommand):
    help = "Load a requirement catalog (formats.md §1); idempotent, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        data = read_input(file)
        with all_or_nothing(NOTHING_LOADED):
            result = load_framework(data)
        fw = result.framework
        if result.created:
            self.stdout.write(f"Đã nạp / Loaded: {fw.code} {fw.version} ({fw.indicators.count()} indicators)")
        else:
            self.stdout.write(f"Không đổi / Unchanged: {fw.code} {fw.version}")
