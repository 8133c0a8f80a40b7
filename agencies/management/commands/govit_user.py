import sys

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Role
from agencies.users import create_user
from govit.errors import InputRejected


class Command(BaseCommand):
    help = (
        "Manage GovIT users: create NAME --role ROLE [--agency CODE] [--with-descendants] [--password-stdin] [--token]"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user")
        create.add_argument("name")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--agency", help="electronic identifier code, e.g. G14 or 000.00.00.H29")
        create.add_argument("--with-descendants", action="store_true", help="scope includes agencies below")
        create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        create.add_argument("--token", action="store_true",
                            help="create an API token (expires after API_TOKEN_TTL_HOURS); printed as the last word")

    def handle(self, *args, action, **o):
        password = sys.stdin.readline().rstrip("\r\n") if o["password_stdin"] else None
        try:
            user, password_used, token = create_user(
                o["name"], o["role"], o["agency"], o["with_descendants"], password, o["token"]
            )
        except InputRejected as exc:
            raise CommandError("\n".join(e.bilingual() for e in exc.errors)) from exc
        scope = f" {user.agency.code}{' +' if user.with_descendants else ''}" if user.agency else ""
        self.stdout.write(f"Đã tạo người dùng / Created user {user.username} ({user.role}{scope})")
        if not o["password_stdin"]:
            self.stdout.write(f"Mật khẩu / Password: {password_used}")
        if token:
            self.stdout.write(f"Token: {token}")
