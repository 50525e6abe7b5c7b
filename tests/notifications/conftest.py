import pytest


@pytest.fixture(autouse=True)
def _notify_settings(settings):
    settings.PORTAL_URL = "https://dichvucong.test"
    settings.NOTIFY_THROTTLE_MAX = 3
    settings.NOTIFY_THROTTLE_WINDOW_MINUTES = 10
    settings.NOTIFY_MAX_ATTEMPTS = 3


@pytest.fixture
def person(citizen):
    """A citizen who can be reached by email and SMS."""
    citizen.email = "cong@example.vn"
    citizen.save(update_fields=["email"])
    return citizen
