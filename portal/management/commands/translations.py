"""Update the translation catalogues: Vietnamese is the source, English the target.

Site-wide strings (portal/ and templates/) go to locale/; each app keeps its own
catalogue in <app>/locale/ so that apps never share a file.
"""

import os
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

APPS = [
    "units",
    "rules",
    "agencies",
    "accounts",
    "idp",
    "procedures",
    "dossiers",
    "notifications",
    "payments",
    "paygate",
    "registers",
    "chains",
    "national",
    "dashboards",
    "feedback",
]
NOT_SITE_WIDE = [*APPS, ".venv", "tests", "staticfiles", "media", "var", "docs"]


class Command(BaseCommand):
    help = "Extract translatable strings into the .po files and compile them."
    # Reads source files only, like makemessages: no system check, so `make
    # messages` needs no deployment secrets (portal/checks.py).
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        base = Path(settings.BASE_DIR)
        here = Path.cwd()
        common = {"locale": ["en"], "no_location": True, "verbosity": 0}
        try:
            os.chdir(base)
            call_command(
                "makemessages",
                ignore_patterns=[f"{d}/*" for d in NOT_SITE_WIDE],
                **common,
            )
            for app in APPS:
                (base / app / "locale").mkdir(exist_ok=True)
                os.chdir(base / app)
                call_command("makemessages", **common)
            os.chdir(base)
            # compilemessages skips a .po older than its .mo, which a merge can
            # leave stale: compile every catalogue, always.
            for po in [base / "locale", *(base / app / "locale" for app in APPS)]:
                for path in po.glob("*/LC_MESSAGES/django.po"):
                    subprocess.run(  # noqa: S603 - fixed arguments, our own files
                        [  # noqa: S607 - msgfmt is found on PATH, as Django does
                            "msgfmt",
                            "--check-format",
                            "-o",
                            str(path.with_suffix(".mo")),
                            str(path),
                        ],
                        check=True,
                    )
        finally:
            os.chdir(here)
        self.stdout.write("Translation catalogues updated.")
