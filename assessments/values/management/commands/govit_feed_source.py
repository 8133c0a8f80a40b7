"""Feed sources (issue 14): create one (its key printed once), rotate its key, deactivate it."""

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from assessments.values.feeds.models import FeedSource
from assessments.values.feeds.services import create_source, rotate_key
from govit.errors import InputRejected


class Command(BaseCommand):
    help = ("Manage machine feed sources: create CODE --agency CODE --framework CODE --indicators A,B [--name N]; "
            "rotate CODE; deactivate CODE")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a source and print its key once")
        create.add_argument("code")
        create.add_argument("--agency", required=True, help="the agency's code, e.g. 000.00.00.H29")
        create.add_argument("--framework", default="CDS", help="catalog code the indicators belong to")
        create.add_argument("--indicators", required=True, help="comma-separated indicator codes, e.g. DVC.02,DDL.05")
        create.add_argument("--name", default="")
        for action in ("rotate", "deactivate"):
            sub.add_parser(action).add_argument("code")

    def handle(self, *args, action, code, **o):
        if action == "create":
            agency = Agency.objects.filter(code=o["agency"]).order_by("-valid_from").first()
            if agency is None:
                raise CommandError(f"Không có cơ quan / No agency {o['agency']}")
            codes = [c.strip() for c in o["indicators"].split(",") if c.strip()]
            try:
                source, key = create_source(code, o["name"], agency, o["framework"], codes)
            except InputRejected as exc:
                raise CommandError("\n".join(e.bilingual() for e in exc.errors)) from exc
            self.stdout.write(f"Đã tạo nguồn / Created source {source.code} ({agency.code}: {', '.join(codes)})")
            self._key(key)
            return
        source = FeedSource.objects.filter(code=code).first()
        if source is None:
            raise CommandError(f"Không có nguồn / No source {code}")
        if action == "rotate":
            self._key(rotate_key(source))
        else:
            source.is_active = False
            source.save(update_fields=["is_active"])
            self.stdout.write(f"Đã vô hiệu hoá / Deactivated {source.code}")

    def _key(self, key: str) -> None:
        self.stdout.write("Khoá (chỉ hiện một lần) / Key (shown once): " + key)
