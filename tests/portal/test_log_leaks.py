"""The whole-run log check (tests/log_leaks.py) is really looking: it catches an
unmasked personal ID, phone or token, and the portal's handlers give it none."""

import logging

import pytest
from django.urls import reverse

from accounts.services import api_token_create
from tests.accounts.factories import PASSWORD
from tests.log_leaks import COLLECTOR, LeakCollector, find_leaks


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("citizen 036085012345 logged in", "personal ID"),
        ("user_036085012345", "personal ID"),
        ("sms to 0912345678", "phone"),
        ("sms to 0912 345 678", "phone"),
        ("sms to +84 912.345.678", "phone"),
        ("sms to 84912345678", "phone"),
    ],
)
def test_the_scanner_finds_unmasked_ids_and_phones(text, kind):
    assert [k for k, _value in find_leaks(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "citizen *********345 logged in",
        "sms to *******678",
        '"request_id": "0360850123450912345678abcdef0123"',
        "dossier 000.11.59.H00-260309-0001 at 2026-03-09 10:00:01,123",
        "paid 1.050.000 VND in 3456 ms",
    ],
)
def test_the_scanner_leaves_masked_values_ids_and_codes_alone(text):
    assert find_leaks(text) == []


def test_the_scanner_finds_a_known_secret():
    assert find_leaks("Authorization: abc-secret-xyz", {"abc-secret-xyz"}) == [
        ("secret", "abc-secret-xyz")
    ]


def test_an_unmasking_handler_would_fail_the_run():
    plain = logging.StreamHandler()
    plain.setFormatter(logging.Formatter("%(message)s"))
    collector = LeakCollector(handlers=lambda: [plain])
    logger = logging.getLogger("tests.leak_selftest")
    logger.addHandler(collector)
    try:
        logger.warning("viewed %s, phone %s", "036085012345", "0912345678")
    finally:
        logger.removeHandler(collector)

    assert [(f.kind, f.value) for f in collector.findings] == [
        ("personal ID", "036085012345"),
        ("phone", "0912345678"),
    ]


def test_the_collector_sees_the_run_through_the_portal_formatter():
    assert COLLECTOR in logging.root.handlers
    configured = COLLECTOR.handlers()
    assert configured, "the root logger has no configured handler"
    seen = COLLECTOR.records
    findings = len(COLLECTOR.findings)

    logging.getLogger("tests.leak_selftest").warning(
        "viewed %s, phone %s", "036085012345", "0912345678"
    )

    assert COLLECTOR.records == seen + 1
    # The portal's formatter masked both: the run-wide check found nothing new.
    assert len(COLLECTOR.findings) == findings
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "id %s", ("036085012345",), None
    )
    assert "*********345" in configured[0].format(record)


@pytest.mark.django_db
def test_api_tokens_and_passwords_are_known_secrets(client, citizen):
    token = api_token_create(user=citizen)

    assert token in COLLECTOR.secrets
    assert PASSWORD in COLLECTOR.secrets
    response = client.get(
        reverse("accounts-api:me"), HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 200


def test_a_token_header_is_hidden_by_the_portal_formatter():
    configured = COLLECTOR.handlers()[0]
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "headers %s",
        ({"Authorization": "Token " + "A1b2" * 11},),
        None,
    )
    line = configured.format(record)

    assert "A1b2A1b2A1b2" not in line
