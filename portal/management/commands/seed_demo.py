from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.services import registry_demo_load
from portal.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_accounts_seed,
)
from units.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Create or reset the demo accounts of every role and the development "
        "population registry's people (demo only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG and DEMO_MODE are off (never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.DEMO_MODE or options["force"]):
            raise CommandError(
                "Tài khoản mẫu chỉ dùng để thử: DEBUG đang tắt. "
                "Demo accounts are for trials only and DEBUG is off; "
                "use --force if you really mean it."
            )
        if not OrgUnit.objects.exists():
            raise CommandError(
                "Chưa có cơ quan nào: chạy `manage.py load_units` trước."
            )
        demo_accounts_seed()
        # The demo citizens and their households in the development registry.
        people = registry_demo_load()
        self.stdout.write(self.style.SUCCESS("Demo accounts (tài khoản mẫu):"))
        for account in DEMO_ACCOUNTS:
            roles = ", ".join(str(role.label) for role in account.roles)
            self.stdout.write(
                f"  {account.username:<16} {account.full_name:<20} {roles}"
            )
        self.stdout.write(f"  password / mật khẩu: {DEMO_PASSWORD}")
        self.stdout.write(
            f"  staff TOTP secret / mã bí mật 2FA cán bộ: {DEMO_TOTP_SECRET}"
        )
        self.stdout.write(
            f"Development population registry (CSDL dân cư mẫu): {people} people, "
            "e.g. 036188003456 (docs/agencies.md)"
        )
