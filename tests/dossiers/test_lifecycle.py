"""Every transition of the state table works from every status it lists, and every
other (action, status) pair is refused with 409 and writes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers import services
from dossiers.calendar import WorkingCalendar
from dossiers.lifecycle import TRANSITIONS, available_actions, may_act
from dossiers.models import Event, Rating, Status

from .factories import make_dossier, pdf_upload

pytestmark = pytest.mark.django_db

ALL_STATUSES = list(Status)
SCORES = {str(i): 2 for i in range(1, 10)}


def _actor(action, people):
    actor = TRANSITIONS[action].actor
    return {
        "applicant": people["applicant"],
        # The applicant asks online (the counter's officer: test_stop_request).
        "applicant_or_receiving": people["applicant"],
        "receiving": people["officer"],
        "handler": people["officer"],
        "processing": people["specialist"],
        "assigned_specialist": people["specialist"],
        "processing_leader": people["leader"],
        # The portal itself (a linked dossier's part): no user.
        "system": None,
    }[actor]


def _payload(action):
    """The API body that carries out `action` (with what it needs)."""
    calendar = WorkingCalendar.load()
    later = timezone.localdate() + datetime.timedelta(days=30)
    tomorrow_plus = (
        later if calendar.is_working_day(later) else calendar.next_working_day(later)
    ).isoformat()
    return {
        "receive": {},
        "request_supplement": {"items": ["Giấy chứng sinh"], "note": "Thiếu giấy"},
        "supplement": {"note": "Đã bổ sung"},
        "request_payment": {},
        "confirm_payment": {},
        "forward": {"to_unit": None},
        "appraise": {"title": "Giấy khai sinh", "generate": True},
        "submit_for_signature": {},
        "sign": {},
        "send_back": {"reason": "Sai ngày sinh của người được khai sinh"},
        "issue_result": {},
        "return_result": {"method": "counter"},
        "refuse": {"note": "Không thuộc thẩm quyền"},
        "withdraw": {"note": "Không cần nữa"},
        "stop": {"note": "Không bổ sung"},
        "stop_on_request": {"note": "Không còn nhu cầu"},
        "apologize": {"new_due_date": tomorrow_plus, "note": "Cần xác minh"},
        "rate": {"scores": SCORES, "overall": "satisfied"},
        "record_result": {},
    }[action]


# Sorted: `sources` is a set, whose order changes with each process's hash seed,
# and the pytest-xdist processes of `make test` must collect the same list.
VALID = [
    (action, status)
    for action, move in TRANSITIONS.items()
    for status in sorted(move.sources)
]
# request_payment / confirm_payment have no API action of their own (payments do
# them), nor has record_result (the portal's own, for linked dossiers); they are
# covered through the service below.
SERVICE_ONLY = {"request_payment", "confirm_payment", "record_result"}
API_ACTIONS = [a for a in TRANSITIONS if a not in SERVICE_ONLY]
INVALID = [
    (action, status)
    for action in API_ACTIONS
    for status in ALL_STATUSES
    if status not in TRANSITIONS[action].sources
]


def _by_service(action, dossier, actor, people):
    """Carry out an action without an API action of its own, through its service."""
    if action == "request_payment":
        return services.dossier_request_payment(
            dossier=dossier, actor=actor, amount_vnd=20000
        )
    if action == "confirm_payment":
        return services.dossier_confirm_payment(
            dossier=dossier, actor=actor, reference="BL-0001"
        )
    assert action == "record_result", action
    result = services.dossier_record_agency_result(
        dossier=dossier,
        title="Giấy khai sinh",
        number="01/2026",
        issued_by=people["officer"],
        data_rows=[("Họ và tên", "Nguyễn Văn Công")],
    )
    return result.dossier


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("action", "status"), VALID)
def test_every_transition_of_the_table(action, status, people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=datetime.UTC))
    dossier = make_dossier(status=status, **people)
    actor = _actor(action, people)
    events_before = dossier.events.count()

    if action in SERVICE_ONLY:
        dossier = _by_service(action, dossier, actor, people)
    else:
        body = {"action": action, **_payload(action)}
        if action == "forward":
            body["to_unit"] = people["unit"].agency_code
        response = _api(actor).post(
            reverse("dossiers_api:dossier-action", args=[dossier.code]),
            body,
            format="json",
        )
        assert response.status_code == 200, response.json()
        dossier.refresh_from_db()

    move = TRANSITIONS[action]
    assert dossier.status == (move.target or status)
    assert dossier.events.count() == events_before + 1
    event = dossier.events.last()
    assert (event.action, event.from_status, event.actor) == (action, status, actor)


@pytest.mark.parametrize(("action", "status"), INVALID)
def test_every_illegal_move_is_409_and_writes_no_event(action, status, people):
    dossier = make_dossier(status=status, **people)
    events_before = Event.objects.count()
    body = {"action": action, **_payload(action)}
    if action == "forward":
        body["to_unit"] = people["unit"].agency_code

    response = _api(_actor(action, people)).post(
        reverse("dossiers_api:dossier-action", args=[dossier.code]), body, format="json"
    )

    assert response.status_code == 409, response.json()
    assert response.json()["detail"]
    assert Event.objects.count() == events_before
    dossier.refresh_from_db()
    assert dossier.status == status


def test_an_officer_of_another_unit_cannot_act_even_knowing_the_code(
    people, officer_other_commune
):
    dossier = make_dossier(**people)

    assert not may_act(officer_other_commune, dossier, "receive")
    response = _api(officer_other_commune).post(
        reverse("dossiers_api:dossier-action", args=[dossier.code]),
        {"action": "receive"},
        format="json",
    )
    assert response.status_code == 404


def test_a_citizen_cannot_do_an_officers_action(people):
    dossier = make_dossier(**people)

    response = _api(people["applicant"]).post(
        reverse("dossiers_api:dossier-action", args=[dossier.code]),
        {"action": "receive"},
        format="json",
    )

    assert response.status_code == 403
    assert dossier.events.count() == 1


def test_the_specialist_appraises_and_submits_the_leader_signs_or_sends_back(
    people,
):
    processing = make_dossier(status=Status.PROCESSING, **people)
    awaiting = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    signed = make_dossier(status=Status.SIGNED, **people)

    assert "appraise" in available_actions(people["specialist"], processing)
    assert "appraise" not in available_actions(people["leader"], processing)
    assert "appraise" not in available_actions(people["officer"], processing)
    assert {"sign", "send_back"} <= set(available_actions(people["leader"], awaiting))
    assert not {"sign", "send_back"} & set(
        available_actions(people["specialist"], awaiting)
    )
    assert "issue_result" in available_actions(people["officer"], signed)
    assert "issue_result" not in available_actions(people["specialist"], signed)
    assert "issue_result" not in available_actions(people["leader"], signed)


def test_only_the_assigned_specialist_appraises(people, unit_a):
    from accounts.roles import Role
    from tests.accounts.factories import UserFactory

    colleague = UserFactory(roles=[Role.SPECIALIST], org_unit=unit_a)
    unassigned = make_dossier(status=Status.PROCESSING, **people)
    assert may_act(colleague, unassigned, "appraise")  # nobody holds it yet

    services.dossier_appraise(
        dossier=unassigned,
        actor=people["specialist"],
        title="Giấy khai sinh",
        generate=True,
    )
    unassigned.refresh_from_db()

    assert unassigned.assignee == people["specialist"]
    assert not may_act(colleague, unassigned, "submit_for_signature")
    with pytest.raises(services.ActionNotAllowed):
        services.dossier_submit_for_signature(dossier=unassigned, actor=colleague)


def test_a_digital_team_member_never_decides(people, unit_a):
    from accounts.roles import Role
    from tests.accounts.factories import UserFactory

    helper = UserFactory(roles=[Role.DIGITAL_TEAM], org_unit=unit_a)
    for status in ALL_STATUSES:
        if status in {Status.WITHDRAWN}:
            continue
        dossier = make_dossier(status=status, **people)
        assert available_actions(helper, dossier) == [], status


def test_rating_is_accepted_once(people):
    dossier = make_dossier(status=Status.RETURNED, **people)
    services.dossier_rate(
        dossier=dossier, actor=people["applicant"], scores=SCORES, overall="satisfied"
    )

    with pytest.raises(services.IllegalTransition):
        services.dossier_rate(
            dossier=dossier,
            actor=people["applicant"],
            scores=SCORES,
            overall="very_satisfied",
        )
    assert Rating.objects.get(dossier=dossier).overall == "satisfied"


@pytest.mark.parametrize(
    "scores",
    [
        {str(i): 2 for i in range(1, 9)},
        {**SCORES, "1": 3},
        {**SCORES, "10": 1},
    ],
)
def test_rating_needs_nine_scores_from_0_to_2(people, scores):
    dossier = make_dossier(status=Status.RETURNED, **people)

    with pytest.raises(services.DossierError):
        services.dossier_rate(
            dossier=dossier,
            actor=people["applicant"],
            scores=scores,
            overall="satisfied",
        )
    assert not Rating.objects.filter(dossier=dossier).exists()


def test_issuing_a_result_with_a_file_marks_it_digitised(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)
    services.dossier_appraise(
        dossier=dossier,
        actor=people["specialist"],
        title="Giấy khai sinh",
        file=pdf_upload(),
    )
    services.dossier_submit_for_signature(dossier=dossier, actor=people["specialist"])
    services.dossier_sign(dossier=dossier, actor=people["leader"])

    dossier = services.dossier_issue_signed_result(
        dossier=dossier, actor=people["officer"]
    )

    assert dossier.result_digitized
    assert dossier.result.token
    assert dossier.completed_at is not None


def test_the_lifecycle_document_lists_every_action_and_status():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "dossier-lifecycle.md").read_text()

    for action in TRANSITIONS:
        assert f"| `{action}` |" in doc, action
    for status in Status:
        assert f"| `{status.value}` |" in doc, status


def test_every_action_a_dossier_records_reads_as_words():
    """One label per action (dossiers.history): every move of the state table
    and every event the services and the chains write without a move."""
    from django.utils.translation import override

    from dossiers.history import ACTION_LABELS, event_label

    recorded_without_a_move = {"submit", "assign", "reschedule", "correct_data"}
    recorded_without_a_move |= {"chain_step", "seed_demo"}
    assert set(TRANSITIONS) | recorded_without_a_move <= set(ACTION_LABELS)
    with override("vi"):
        assert event_label("forward") == "Chuyển xử lý"
        assert event_label("something_new") == "Cập nhật hồ sơ"
        own = {"label": "Hẹn trả kết quả được tính lại"}
        assert event_label("reschedule", own) == "Hẹn trả kết quả được tính lại"
