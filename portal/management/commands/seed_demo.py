import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.roles import Role
from agencies.services import registry_demo_load
from national.sandbox import twin_store_seed
from portal.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_accounts_seed,
    demo_no_appointment_day_seed,
)
from portal.demo_help import demo_help_seed
from units.models import OrgUnit


def _era(unit: OrgUnit | None) -> str:
    """Which units an account works in: those that ended (the pre-reform era)
    or those in force."""
    if unit is None:
        return ""
    if unit.valid_to is not None:
        return f"-> {unit.valid_to:%d/%m/%Y}"
    return f"{unit.valid_from:%d/%m/%Y} ->" if unit.valid_from else "->"


class Command(BaseCommand):
    help = (
        "Create or reset the demo accounts of every role and the development "
        "population registry's people (demo only); with --dossiers N, also add N "
        "realistic demo dossiers (bulk) for the dashboards. Also gives units without "
        "contacts demo ones (marked unverified) and adds sourced questions (/help/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG and DEMO_MODE are off (never in production).",
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=0,
            help="Also add this many demo dossiers (each run adds more).",
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed, for repeatable data."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=730,
            help="Demo dossiers are received over this many days up to yesterday.",
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
        help_added = demo_help_seed()
        # The demo citizens' papers in the twin's e-document store (/dvcqg-sandbox/).
        papers = sum(
            twin_store_seed(
                personal_id=a.username,
                full_name=a.full_name,
                date_of_birth=a.date_of_birth,
            )
            for a in DEMO_ACCOUNTS
            if Role.CITIZEN in a.roles
        )
        no_appointment = demo_no_appointment_day_seed()
        self.stdout.write(self.style.SUCCESS("Demo accounts (tài khoản mẫu):"))
        units = {
            unit.agency_code: unit
            for unit in OrgUnit.objects.filter(
                agency_code__in=[a.agency_code for a in DEMO_ACCOUNTS]
            )
        }
        for account in DEMO_ACCOUNTS:
            roles = ", ".join(str(role.label) for role in account.roles)
            unit = units.get(account.agency_code)
            self.stdout.write(
                f"  {account.username:<20} {account.full_name:<16} "
                f"{_era(unit):<14} {roles}"
            )
        self.stdout.write(f"  password / mật khẩu: {DEMO_PASSWORD}")
        self.stdout.write(
            f"  staff TOTP secret / mã bí mật 2FA cán bộ: {DEMO_TOTP_SECRET}"
        )
        self.stdout.write(
            f"Development population registry (CSDL dân cư mẫu): {people} people, "
            "e.g. 036188003456 (docs/agencies.md)"
        )
        self.stdout.write(
            "Help page (/help/): demo contacts added to {contacts} units (marked "
            "unverified), {questions} questions with sourced answers.".format(
                **help_added
            )
        )
        self.stdout.write(
            f"National portal twin (/dvcqg-sandbox/): {papers} demo papers added "
            "to the demo citizens' e-document store"
        )
        if no_appointment is not None:
            self.stdout.write(
                "No writing, no appointment day (ngày không viết, không hẹn): "
                f"{no_appointment.centre.name}, {no_appointment.get_weekday_display()}"
                f" before {no_appointment.cutoff:%H:%M}"
            )
        if options["dossiers"] > 0:
            self._seed_dossiers(options)

    def _seed_dossiers(self, options: dict[str, Any]) -> None:
        from dashboards.progress import ProgressBar
        from portal.demo_dossiers import demo_dossiers_seed

        started = time.monotonic()
        bar = ProgressBar("seed_demo --dossiers") if self.stderr.isatty() else None
        try:
            created = demo_dossiers_seed(
                count=options["dossiers"],
                seed=options["seed"],
                days=options["days"],
                progress=bar,
            )
        finally:
            if bar is not None:
                bar.close()
        if not created:
            raise CommandError(
                "Chưa có thủ tục nào: chạy `manage.py load_catalogue` trước. / "
                "No procedures yet: run `manage.py load_catalogue` first."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Hồ sơ mẫu / demo dossiers: {created} "
                f"({time.monotonic() - started:.1f} s)"
            )
        )
