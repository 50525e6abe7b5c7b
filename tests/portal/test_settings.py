import re
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]


def test_every_environment_variable_is_listed_in_env_example():
    settings_text = (BASE_DIR / "portal" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', settings_text))
    listed = set(
        re.findall(
            r"^#?\s*([A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M
        )
    )

    assert read - listed == set(), "add these to .env.example"


def _storage_backend(**environ: str) -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import portal.settings as s; print(s.STORAGES['default']['BACKEND'])",
        ],
        cwd=BASE_DIR,
        env=env | environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_uploads_go_to_local_disk_without_a_bucket():
    assert _storage_backend() == "django.core.files.storage.FileSystemStorage"


def test_uploads_go_to_s3_compatible_storage_when_a_bucket_is_set():
    assert (
        _storage_backend(
            AWS_STORAGE_BUCKET_NAME="dvc-uploads",
            AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
        )
        == "storages.backends.s3.S3Storage"
    )


# --- Secrets: no start with a public one and DEBUG off (portal/checks.py) ----------

SECRETS = [
    "SECRET_KEY",
    "OIDC_CLIENT_SECRET",
    "PAYMENT_GATEWAY_SECRET",
    "PAYGATE_SECRET",
]


def _secret_errors() -> list[str]:
    from django.core.checks import run_checks

    return [m.msg for m in run_checks() if m.id == "portal.E001"]


def _env_example_value(name: str) -> str:
    text = (BASE_DIR / ".env.example").read_text()
    found = re.search(rf"^#?\s*{name}=(.*)$", text, re.M)
    assert found, f"{name} is not in .env.example"
    return found.group(1)


def test_the_list_of_development_secrets_is_the_one_refused(settings):
    assert sorted(settings.DEVELOPMENT_SECRETS) == sorted(SECRETS)
    # Every public default in settings.py comes from that list, so a new secret
    # with a development value cannot be added beside it unnoticed.
    text = (BASE_DIR / "portal" / "settings.py").read_text()
    assert not re.findall(r'default="[^"]*(?:dev-only|insecure)', text)


@pytest.mark.parametrize("name", SECRETS)
def test_a_development_secret_with_debug_off_is_an_error_naming_it(settings, name):
    settings.DEBUG = False
    setattr(settings, name, settings.DEVELOPMENT_SECRETS[name])

    assert _secret_errors() == [f"{name} is the public development value."]


@pytest.mark.parametrize("name", SECRETS)
def test_the_env_example_placeholder_and_an_empty_secret_are_errors(settings, name):
    settings.DEBUG = False
    setattr(settings, name, _env_example_value(name))
    assert _secret_errors() == [f"{name} is the placeholder of .env.example."]

    setattr(settings, name, "")
    assert _secret_errors() == [f"{name} is empty."]


def test_a_demo_server_needs_its_own_secrets_too(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = True
    settings.PAYMENT_GATEWAY_SECRET = settings.DEVELOPMENT_SECRETS[
        "PAYMENT_GATEWAY_SECRET"
    ]

    assert _secret_errors() == [
        "PAYMENT_GATEWAY_SECRET is the public development value."
    ]


def test_development_secrets_work_with_debug_on(settings):
    settings.DEBUG = True
    for name, value in settings.DEVELOPMENT_SECRETS.items():
        setattr(settings, name, value)

    assert _secret_errors() == []


def _start(argv: list[str], tmp_path: Path, **environ: str):
    """Run an entry point as a deployment would, DEBUG off, every secret set to
    a value of its own unless `environ` says otherwise (absent = the default)."""
    import os
    import secrets
    import subprocess
    import sys

    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        **{name: secrets.token_urlsafe(32) for name in SECRETS},
    }
    for name, value in environ.items():
        if value == "<unset>":
            env.pop(name)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, *argv],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


ENTRY_POINTS = {
    "check": ["manage.py", "check"],
    "migrate": ["manage.py", "migrate", "--noinput"],
    "runserver": ["manage.py", "runserver", "--noreload", "127.0.0.1:0"],
    "gunicorn": ["-m", "gunicorn", "portal.wsgi", "--bind", "127.0.0.1:0"],
    "worker": ["-m", "celery", "-A", "portal", "worker", "--pool", "solo"],
    "beat": ["-m", "celery", "-A", "portal", "beat", "--schedule", "{tmp}/beat"],
}
# Each entry point with another secret left to its development value.
REFUSED = [
    ("check", "PAYMENT_GATEWAY_SECRET"),
    ("migrate", "SECRET_KEY"),
    ("runserver", "OIDC_CLIENT_SECRET"),
    ("gunicorn", "PAYMENT_GATEWAY_SECRET"),
    ("worker", "PAYGATE_SECRET"),
    ("beat", "SECRET_KEY"),
]


@pytest.mark.parametrize(("entry", "name"), REFUSED)
def test_every_entry_point_refuses_a_development_secret_naming_it(
    tmp_path, entry, name
):
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in ENTRY_POINTS[entry]]
    done = _start(argv, tmp_path, **{name: settings.DEVELOPMENT_SECRETS[name]})

    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert f"{name} is the public development value" in output
    if entry == "migrate":
        assert _tables(tmp_path / "db.sqlite3") == [], "refused before migrating"


def _tables(path: Path) -> list[str]:
    import sqlite3

    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT name FROM sqlite_master")]


def test_check_and_the_web_application_start_with_the_secrets_set(tmp_path):
    done = _start(["manage.py", "check"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr

    done = _start(["-c", "import portal.wsgi"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_make_run_is_unaffected_debug_on_takes_the_development_secrets(tmp_path):
    unset = dict.fromkeys(SECRETS, "<unset>")
    done = _start(["manage.py", "check"], tmp_path, DJANGO_DEBUG="1", **unset)

    assert done.returncode == 0, done.stdout + done.stderr


# --- The public address (accounts/addresses.py) ------------------------------------


def test_no_address_is_made_up_from_the_port(tmp_path):
    # honcho, `PORT=8080 make run`, a test's live server: the port a process was
    # given says nothing about the address people reach the portal at.
    code = "import portal.settings as s; print((s.PORTAL_URL, s.PAYMENT_GATEWAY_URL))"
    done = _start(["-c", code], tmp_path, PORT="9123")

    assert done.stdout.strip().splitlines()[-1] == "('', '')"


def test_a_deployment_without_portal_url_is_warned(settings):
    from portal.checks import public_address_check

    settings.DEBUG = False
    settings.PORTAL_URL = ""
    assert [m.id for m in public_address_check()] == ["portal.W001"]

    settings.PORTAL_URL = "https://dichvucong.example.gov.vn"
    assert public_address_check() == []
