from django.core.management.base import BaseCommand, CommandError

from agencies.registry import load_registry
from govit.errors import InputRejected


class Command(BaseCommand):
    help = "Load the shipped national agency registry (idempotent)."

    def handle(self, *args, **options):
        try:
            counts = load_registry()
        except InputRejected as exc:
            raise CommandError("\n".join(e.bilingual() for e in exc.errors)) from exc
        self.stdout.write(
            "Đã nạp danh mục cơ quan / Registry loaded: "
            + ", ".join(f"{k}={v}" for k, v in counts.items())
        )
