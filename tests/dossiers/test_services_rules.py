"""The services of the rule sets and the stop request, called by name: the
rules of a dossier are those of its day of receipt; a request to stop is
checked against the status before anything is written."""

import datetime

import pytest

from dossiers import services
from dossiers.models import Status
from rules.services import rules_load

from .factories import at, make_dossier

pytestmark = pytest.mark.django_db


def test_the_rules_of_a_dossier_are_those_of_its_day_of_receipt(people, time_machine):
    rules_load()
    time_machine.move_to(at("2025-06-30 23:30"))  # local time: still 30 June
    dossier = make_dossier(**people)
    time_machine.move_to(at("2026-02-02 09:00"))

    assert services.dossier_rules_day(dossier) == datetime.date(2025, 6, 30)
    rules = services.dossier_rules(dossier)
    assert rules.rule_set.slug == "nd61-2018"
    assert rules.form("control") == {
        "key": "control",
        "number": "05",
        "name": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    }


@pytest.mark.parametrize(
    "status",
    [
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.APPRAISED,
        Status.AWAITING_SIGNATURE,
    ],
)
def test_a_stop_request_is_allowed_while_nothing_is_decided(status, people):
    dossier = make_dossier(**people, status=status)

    services.stop_request_check(dossier)  # no refusal


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Status.SIGNED, "ký duyệt"),
        (Status.RESULT_READY, "kết quả"),
        (Status.STOPPED, "đã kết thúc"),
    ],
)
def test_a_stop_request_is_refused_with_the_reason_once_decided(status, reason, people):
    dossier = make_dossier(**people, status=status)

    with pytest.raises(services.IllegalTransition, match=reason):
        services.stop_request_check(dossier)
    with pytest.raises(services.IllegalTransition, match=reason):
        services.dossier_stop(
            dossier=dossier, actor=people["applicant"], reason="", on_request=True
        )
    assert not dossier.events.filter(action="stop_on_request").exists()
