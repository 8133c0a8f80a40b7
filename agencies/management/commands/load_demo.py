from django.core.management.base import BaseCommand

from agencies.demo import ensure_demo_users


class Command(BaseCommand):
    help = "Create demo users for every role (passwords printed) and demo data."

    def handle(self, *args, **options):
        users = ensure_demo_users()
        self.stdout.write("Người dùng thử / Demo users (mật khẩu mới mỗi lần chạy / new passwords every run):")
        for name, role, agency, password in users:
            self.stdout.write(f"  {name:<15} {role:<13} {password:<14} {agency}")
