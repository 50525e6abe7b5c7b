import pytest


@pytest.fixture
def connected(settings):
    """This portal reports to the national one: the bundled twin, answering at once."""
    settings.NATIONAL_PORTAL_BACKEND = "national.adapters.DevelopmentNationalPortal"
    settings.NATIONAL_SANDBOX_ENABLED = True
    settings.NATIONAL_DEV_LATENCY_MS = 0
    settings.NATIONAL_DEV_FAILURE_RATE = 0.0
    return settings
