"""English is a full translation of the Vietnamese source, and it is compiled."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# English for our Vietnamese source; locale/vi holds Vietnamese for the English
# messages of DRF that reach API clients (kept by hand, compiled all the same).
CATALOGUES = sorted(BASE_DIR.glob("**/locale/*/LC_MESSAGES/django.po"))
CATALOGUES = [p for p in CATALOGUES if ".venv" not in p.parts]

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="needs GNU gettext (msgfmt)"
)


def msgids(po: Path) -> set[str]:
    text = po.read_text(encoding="utf-8")
    entries = re.findall(r'^msgid ((?:".*"\n)+)', text + "\n", flags=re.M)
    ids = {"".join(re.findall(r'"(.*)"', e)) for e in entries}
    return ids - {""}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_string_has_an_english_translation(po):
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_compiled_catalogue_is_up_to_date(po, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True
    )

    assert po.with_suffix(".mo").read_bytes() == compiled.read_bytes(), (
        "run `make messages`"
    )


def test_catalogues_hold_every_translatable_string_of_the_code(tmp_path):
    copy = tmp_path / "portal"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "var",
            "media",
            "staticfiles",
            "node_modules",
            "docs",
            "__pycache__",
            "*.sqlite3",
            ".mypy_cache",
            ".ruff_cache",
            ".pytest_cache",
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "translations"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings"},
    )

    for po in CATALOGUES:
        fresh = copy / po.relative_to(BASE_DIR)
        new = msgids(fresh) - msgids(po)
        assert not new, (
            f"{po.relative_to(BASE_DIR)} lacks {sorted(new)}: run `make messages`"
        )
