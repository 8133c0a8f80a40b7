from django.core.management.base import BaseCommand

from agencies.demo import ensure_demo_users
from assessments.values.demo import load_demo_assessments
from plans.demo import ensure_demo_plans


class Command(BaseCommand):
    help = "Load the catalogs, demo values and scores, demo plans, and users for every role (passwords printed)."

    def handle(self, *args, **options):
        for line in load_demo_assessments():
            self.stdout.write(line)
        users = ensure_demo_users()
        for line in ensure_demo_plans():
            self.stdout.write(line)
        self.stdout.write("Người dùng thử / Demo users (mật khẩu mới mỗi lần chạy / new passwords every run):")
        for name, role, agency, password in users:
            self.stdout.write(f"  {name:<15} {role:<13} {password:<14} {agency}")
