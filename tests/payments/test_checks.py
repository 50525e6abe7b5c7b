"""`check --deploy` warns when the sandbox payment set-up would reach production
(the development secret stops every start: tests/portal/test_settings.py)."""

import pytest
from django.core.checks import run_checks

pytestmark = pytest.mark.django_db


def ids():
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_production_with_the_sandbox_is_warned(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    settings.PAYMENT_GATEWAY_URL = "http://127.0.0.1:8000/paygate/"
    settings.PAYGATE_ENABLED = True

    assert {"payments.W002", "payments.W003"} <= ids()


def test_a_configured_gateway_passes(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    settings.PAYMENT_GATEWAY_SECRET = "given-by-the-platform-7f3a"
    settings.PAYMENT_GATEWAY_URL = "https://thanhtoan.example.gov.vn/"
    settings.PAYGATE_ENABLED = False

    assert not {"payments.W002", "payments.W003"} & ids()


def test_a_demo_server_is_not_warned(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = True
    settings.PAYGATE_ENABLED = True

    assert not {"payments.W003"} & ids()
