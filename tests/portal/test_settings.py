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
