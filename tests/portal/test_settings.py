import re
from pathlib import Path

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
