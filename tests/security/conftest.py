"""The world of the authorization matrix and the API fuzzing (world.py)."""

import pytest

from tests.chains.conftest import catalogue  # noqa: F401 - a module fixture
from tests.idp.factories import enable_idp

from .world import PERSONAS, World, build_world


@pytest.fixture
def demo_features(settings):
    """The development features on, as in a demo deployment, so that their pages
    are exercised rather than all 404: the sandbox payment platform, the test
    identity provider, the SMS inbox and the
    national portal's twin."""
    settings.DEMO_MODE = True
    settings.PAYGATE_ENABLED = True
    settings.PAYGATE_CALLBACK_LOSS_RATE = 0.0
    settings.PAYMENT_GATEWAY_URL = "http://testserver/paygate/"
    settings.NOTIFY_THROTTLE_MAX = 0
    # The national portal's twin: an outbox kept, its page open to staff.
    settings.NATIONAL_PORTAL_BACKEND = "national.adapters.DevelopmentNationalPortal"
    settings.NATIONAL_SANDBOX_ENABLED = True
    settings.NATIONAL_DEV_LATENCY_MS = 0
    enable_idp(settings)


@pytest.fixture
def world(
    request,
    catalogue,  # noqa: F811
    demo_features,
    tree,
    unit_a,
    monkeypatch,
    django_capture_on_commit_callbacks,
) -> World:
    users = {
        persona: None if persona == "anonymous" else request.getfixturevalue(persona)
        for persona in PERSONAS
    }
    return build_world(
        users=users,
        tree=tree,
        unit_a=unit_a,
        monkeypatch=monkeypatch,
        capture=django_capture_on_commit_callbacks,
    )
