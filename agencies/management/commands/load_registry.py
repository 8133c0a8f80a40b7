from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.communes import load_communes
from agencies.registry import load_registry
from govit.errors import InputRejected

LEVELS = ("province", "commune")


class Command(BaseCommand):
    help = "Load the shipped national agency registry (idempotent); --level commune adds the communes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--level", choices=LEVELS, default="province",
            help="province: ministries, agencies and provinces (default); commune: also the communes, wards "
                 "and special zones in force from 1/7/2025 (package vietnam-provinces)",
        )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                counts = load_registry()
                if options["level"] == "commune":
                    counts |= load_communes().as_dict()
        except InputRejected as exc:
            raise CommandError("\n".join(e.bilingual() for e in exc.errors)) from exc
        self.stdout.write(
            "Đã nạp danh mục cơ quan / Registry loaded: "
            + ", ".join(f"{k}={v}" for k, v in counts.items())
        )
