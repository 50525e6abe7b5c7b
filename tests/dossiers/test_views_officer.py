"""The officer pages: queue, dossier page and its action forms, bulk receipt,
claim and assignment, counter filing (with the digital team's phone code) and
the appointment calculator."""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import DataAccessLog, OutboundSms, PhoneCode, Sex, User
from accounts.roles import Role
from dossiers import services
from dossiers.models import Channel, Dossier, Event, Result, ResultDraft, Status
from portal.db import joins_as_written_statements
from tests.a11y import accessibility_problems
from tests.accounts.factories import (
    PASSWORD,
    CitizenFactory,
    TOTPDeviceFactory,
    UserFactory,
    current_totp,
    login_with_otp,
)
from tests.procedures.factories import DocumentFactory, ProcedureFactory
from tests.units.factories import OrgUnitFactory
from units.models import AgencyType

from .factories import at, make_dossier, pdf_upload

pytestmark = pytest.mark.django_db

QUEUE = "dossiers:queue"


@pytest.fixture(autouse=True)
def _development_gateway(settings):
    settings.SMS_BACKEND = "accounts.adapters.sms.DatabaseSmsBackend"
    settings.SMS_DEV_LATENCY_MS = 0
    settings.SMS_DEV_FAILURE_RATE = 0.0


@pytest.fixture
def monday(time_machine):
    """Monday 9 March 2026, 09:00 in Vụ Bản; the clock does not move."""
    time_machine.move_to(at("2026-03-09 09:00"), tick=False)
    return time_machine


@pytest.fixture
def helper(unit_a):
    return UserFactory(
        roles=[Role.DIGITAL_TEAM], org_unit=unit_a, full_name="Lê Văn Tuấn"
    )


def work_url(dossier):
    return reverse("dossiers:dossier-work", args=[dossier.code])


def act(client, dossier, action, seen=None, **fields):
    """POST one action form as the page sends it (fields carry its prefix)."""
    data = {f"{action}-seen_status": seen or dossier.status}
    for name, value in fields.items():
        data[f"{action}-{name}"] = value
    return client.post(
        reverse("dossiers:dossier-act", args=[dossier.code, action]), data
    )


def listed(response):
    """The dossier codes in the queue's rows, in order."""
    return re.findall(r'class="fw-semibold">([^<]+)</a>', response.text)


def codes_in(response):
    return set(listed(response))


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


# --- Access ---------------------------------------------------------------------------


def officer_urls(dossier):
    return [
        reverse(QUEUE),
        work_url(dossier),
        reverse("dossiers:calendar-due"),
        reverse("dossiers:counter-start"),
    ]


def test_a_citizen_gets_403_on_every_officer_page(client, people):
    dossier = make_dossier(**people)
    client.force_login(people["applicant"])

    for url in officer_urls(dossier):
        assert client.get(url).status_code == 403, url
    assert act(client, dossier, "receive").status_code == 403
    assert dossier.events.count() == 1


def test_anonymous_users_are_sent_to_login(client, people):
    dossier = make_dossier(**people)

    for url in officer_urls(dossier):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_land_in_the_staff_area_after_the_totp_step(client, officer):
    device = TOTPDeviceFactory(user=officer)

    client.post(
        reverse("accounts:login"), {"username": officer.username, "password": PASSWORD}
    )
    response = client.post(reverse("accounts:login-otp"), {"otp": current_totp(device)})

    assert response["Location"] == reverse("portal:staff-home")
    home = client.get(response["Location"])
    assert reverse(QUEUE) in home.text
    assert reverse("dossiers:counter-start") in home.text


def test_an_officer_of_another_commune_sees_nothing_of_unit_a(
    client, people, officer_other_commune
):
    dossier = make_dossier(**people)
    received = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, officer_other_commune)

    queue = client.get(reverse(QUEUE))
    searched = client.get(reverse(QUEUE), {"q": dossier.code})

    assert queue.status_code == 200
    assert not codes_in(queue) & {dossier.code, received.code}
    assert not codes_in(searched)
    assert client.get(work_url(dossier)).status_code == 404
    assert act(client, dossier, "receive").status_code == 404
    assert act(client, received, "refuse", reason="x").status_code == 404
    assert dossier.events.count() == 1


def test_district_staff_see_their_area_read_only(client, people, district_staff):
    dossier = make_dossier(**people)
    login_with_otp(client, district_staff)

    queue = client.get(reverse(QUEUE))
    page = client.get(work_url(dossier))
    refused = act(client, dossier, "receive")

    assert dossier.code in codes_in(queue)
    assert 'name="codes"' not in queue.text
    assert "Nhận xử lý" not in queue.text
    assert page.status_code == 200
    assert "/actions/" not in page.text
    assert "/assign/" not in page.text
    assert refused.status_code == 403
    assert dossier.events.count() == 1


# --- Queue ----------------------------------------------------------------------------


def test_the_queue_shows_the_units_dossiers_with_a_timeliness_label(
    client, people, monday
):
    waiting = make_dossier(**people)
    received = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    response = client.get(reverse(QUEUE))

    assert response.status_code == 200
    assert {waiting.code, received.code} <= codes_in(response)
    assert "Trong hạn" in response.text
    assert "queue-success" in response.text


def test_overdue_and_due_soon_dossiers_are_labelled(client, people, monday):
    late = make_dossier(status=Status.RECEIVED, **people)  # due Thursday 12/03
    monday.move_to(at("2026-03-11 09:00"), tick=False)  # Wednesday
    soon = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])
    monday.move_to(at("2026-03-13 09:00"), tick=False)  # Friday

    response = client.get(reverse(QUEUE))

    rows = response.text.split('<tr class="queue-row')
    late_row = next(r for r in rows if late.code in r)
    soon_row = next(r for r in rows if soon.code in r)
    assert "Quá hạn" in late_row
    assert "queue-danger" in late_row
    # Due Monday 16/03: the next working day after Friday.
    assert "Sắp đến hạn" in soon_row
    assert "queue-warning" in soon_row


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("status", Status.RECEIVED, "received"),
        ("channel", Channel.COUNTER, "counter"),
        ("assignee", "mine", "mine"),
        ("assignee", "unassigned", "waiting"),
        ("timing", "overdue", "overdue"),
        ("timing", "due_soon", "due_soon"),
        ("timing", "apology", "apology"),
    ],
)
def test_filters_narrow_the_queue(client, people, monday, param, value, expected):
    officer = people["officer"]
    overdue = make_dossier(status=Status.RECEIVED, **people)  # due Thu 12/03
    monday.move_to(at("2026-03-11 09:00"), tick=False)
    soon = make_dossier(status=Status.RECEIVED, **people)  # due Mon 16/03
    services.dossier_assign(dossier=soon, actor=officer, assignee=officer)
    services.dossier_assign(dossier=overdue, actor=officer, assignee=officer)
    waiting = make_dossier(**people)
    counter = services.dossier_file_for_citizen(
        helper=officer,
        citizen=CitizenFactory(),
        procedure=ProcedureFactory(processing_days=10),
        data={"full_name": "Trần Văn Quầy"},
    )
    services.dossier_assign(dossier=counter, actor=officer, assignee=officer)
    monday.move_to(at("2026-03-13 09:00"), tick=False)
    login_with_otp(client, officer)
    named = {"overdue": overdue, "soon": soon, "waiting": waiting, "counter": counter}
    groups = {
        "received": {"overdue", "soon", "counter"},
        "counter": {"counter"},
        "mine": {"overdue", "soon", "counter"},
        "waiting": {"waiting"},
        "overdue": {"overdue"},
        # Waiting was submitted Wednesday: provisionally due Monday too, but it
        # cannot be apologised for before it is received.
        "due_soon": {"soon", "waiting"},
        "apology": {"soon"},
    }

    response = client.get(reverse(QUEUE), {param: value})

    assert response.status_code == 200
    assert codes_in(response) == {named[key].code for key in groups[expected]}


def test_filters_by_procedure_and_commune_offer_what_the_queue_holds(
    client, people, monday
):
    birth = ProcedureFactory(name="Đăng ký khai sinh thử")
    first = make_dossier(procedure=birth, **people)
    other = make_dossier(**people)
    login_with_otp(client, people["officer"])

    page = client.get(reverse(QUEUE))
    by_procedure = client.get(reverse(QUEUE), {"procedure": birth.key})
    by_commune = client.get(
        reverse(QUEUE), {"admin_unit": people["unit"].admin_unit.code}
    )

    assert "Đăng ký khai sinh thử" in page.text
    assert codes_in(by_procedure) == {first.code}
    assert codes_in(by_commune) == {first.code, other.code}


@pytest.mark.parametrize("how", ["code", "name", "personal_id"])
def test_search_by_code_name_or_personal_id(client, people, how):
    wanted_citizen = CitizenFactory(full_name="Hoàng Thị Tìm")
    wanted = make_dossier(**(people | {"applicant": wanted_citizen}))
    make_dossier(**people)
    login_with_otp(client, people["officer"])
    query = {
        "code": wanted.code[-11:],
        "name": "Thị Tìm",
        "personal_id": wanted_citizen.username,
    }[how]

    response = client.get(reverse(QUEUE), {"q": query})

    assert codes_in(response) == {wanted.code}


def test_the_queue_is_sorted_by_due_date_and_paginated_keeping_filters(
    client, people, time_machine
):
    codes = []
    for day in range(2, 32):  # one dossier a day, 30 in all
        time_machine.move_to(at(f"2026-03-{day:02d} 09:00"), tick=False)
        codes.append(make_dossier(status=Status.RECEIVED, **people).code)
    login_with_otp(client, people["officer"])

    first = client.get(reverse(QUEUE), {"status": Status.RECEIVED})
    second = client.get(reverse(QUEUE), {"status": Status.RECEIVED, "page": 2})
    newest = client.get(reverse(QUEUE), {"sort": "-due"})

    assert listed(first) == codes[:25]
    assert listed(second) == codes[25:]
    assert "status=received&amp;page=2" in first.text
    assert listed(newest)[0] == codes[-1]


@pytest.fixture
def every_status(people, time_machine):
    """One dossier in each status, submitted a day apart (so due a day apart),
    in an order that is not the order of their due dates."""
    made = {}
    statuses = [
        Status.RETURNED,
        Status.PROCESSING,
        Status.REFUSED,
        Status.RESULT_READY,
        Status.WITHDRAWN,
        Status.SUBMITTED,
        Status.STOPPED,
        Status.SUPPLEMENT_REQUESTED,
        Status.SIGNED,
        Status.RECEIVED,
        Status.AWAITING_PAYMENT,
        Status.APPRAISED,
        Status.AWAITING_SIGNATURE,
    ]
    for day, status in zip(
        [9, 3, 12, 4, 10, 6, 11, 2, 5, 13, 16, 7, 8], statuses, strict=True
    ):
        time_machine.move_to(at(f"2026-03-{day:02d} 09:00"), tick=False)
        made[status] = make_dossier(status=status, **people)
    time_machine.move_to(at("2026-03-17 09:00"), tick=False)
    return made


CLOSED = {Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED}


def test_the_queue_opens_on_open_dossiers_oldest_due_first(
    client, people, every_status
):
    login_with_otp(client, people["officer"])

    response = client.get(reverse(QUEUE))

    open_ones = [d for status, d in every_status.items() if status not in CLOSED]
    by_due = sorted(open_ones, key=lambda d: (d.due_at, d.code))
    assert listed(response) == [d.code for d in by_due]
    # The result waiting to be handed over is still the unit's work.
    assert every_status[Status.RESULT_READY].code in listed(response)
    assert 'value="open" selected' in response.text


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("closed", CLOSED),
        ("all", set(Status.values)),
        (Status.RETURNED, {Status.RETURNED}),
        (Status.WITHDRAWN, {Status.WITHDRAWN}),
        ("open", set(Status.values) - CLOSED),
        ("", set(Status.values) - CLOSED),
    ],
)
def test_closed_dossiers_are_behind_the_status_filter(
    client, people, every_status, status, expected
):
    login_with_otp(client, people["officer"])

    response = client.get(reverse(QUEUE), {"status": status})

    assert response.status_code == 200
    assert codes_in(response) == {every_status[s].code for s in expected}


def test_a_search_that_finds_nothing_open_offers_the_closed_ones(
    client, people, every_status
):
    returned = every_status[Status.RETURNED]
    login_with_otp(client, people["officer"])

    response = client.get(reverse(QUEUE), {"q": returned.code})
    link = re.search(r'href="\?(q=[^"]*status=all)"', response.text)
    everywhere = client.get(reverse(QUEUE) + "?" + link.group(1).replace("&amp;", "&"))

    assert not codes_in(response)
    assert "Tìm cả trong hồ sơ đã kết thúc" in response.text
    assert codes_in(everywhere) == {returned.code}


def test_the_procedure_list_offers_what_the_queue_holds_at_the_status(
    client, people, monday
):
    archived = ProcedureFactory(name="Thủ tục chỉ còn hồ sơ đã trả")
    make_dossier(status=Status.RETURNED, procedure=archived, **people)
    current = make_dossier(**people)
    login_with_otp(client, people["officer"])

    opened = client.get(reverse(QUEUE))
    closed = client.get(reverse(QUEUE), {"status": "closed"})
    # A procedure kept from the closed list when going back to the open ones
    # says it no longer fits, and the other filters still apply.
    back = client.get(
        reverse(QUEUE), {"procedure": archived.key, "q": current.code[-11:]}
    )

    assert archived.name not in opened.text
    assert archived.name in closed.text
    assert codes_in(back) == {current.code}
    assert "is-invalid" in back.text


def _queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(QUEUE)).status_code == 200
    return len(queries)


def test_the_queue_query_count_does_not_grow_with_its_rows(
    client, people, django_assert_num_queries
):
    login_with_otp(client, people["officer"])
    for _i in range(2):
        make_dossier(**people)
    few = _queue_queries(client)
    for _i in range(23):
        make_dossier(status=Status.RECEIVED, **people)
    many = _queue_queries(client)

    assert few == many
    # Pinned: session, user, TOTP device, permissions (one read, decision 335), the
    # officer's unit, roles (menu), the filters' procedures and communes (one query),
    # calendar corrections, count, the page's ids (sorted on the dossiers alone), its
    # rows by those ids, apology count, what waits for the officer (one query, issue
    # 18); the notification bell's unread count. On PostgreSQL the rows' read is planned
    # with its joins as written (two statements around it, portal.db.joins_as_written).
    with django_assert_num_queries(14 + joins_as_written_statements()):
        client.get(reverse(QUEUE))


def test_the_queue_shows_each_role_what_waits_for_it(client, people, unit_a):
    from accounts.roles import Role

    to_appraise = make_dossier(status=Status.PROCESSING, **people)
    to_sign = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    to_issue = make_dossier(status=Status.SIGNED, **people)
    to_return = make_dossier(status=Status.RESULT_READY, **people)
    colleague = UserFactory(roles=[Role.SPECIALIST], org_unit=unit_a)
    held_by_colleague = make_dossier(
        status=Status.APPRAISED, **(people | {"specialist": colleague})
    )
    expected = {
        "specialist": {"appraise": {to_appraise}},
        "leader": {"sign": {to_sign}},
        "officer": {"issue": {to_issue}, "return": {to_return}},
    }
    for persona, lists in expected.items():
        client.logout()
        login_with_otp(client, people[persona])
        page = client.get(reverse(QUEUE))
        for waits, dossiers in lists.items():
            assert f"?waits={waits}" in page.text, (persona, waits)
            shown = codes_in(client.get(reverse(QUEUE), {"waits": waits}))
            assert shown == {d.code for d in dossiers}, (persona, waits)
        for other in {"appraise", "sign", "issue", "return"} - set(lists):
            assert f"?waits={other}" not in page.text, (persona, other)
    assert held_by_colleague.code not in codes_in(
        client.get(reverse(QUEUE), {"waits": "appraise"})
    )


def test_a_leader_signs_several_dossiers_at_once_each_its_own_event(client, people):
    first = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    second = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    sent_back = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    login_with_otp(client, people["leader"])
    page = client.get(reverse(QUEUE), {"waits": "sign"})
    assert 'form="bulk-sign"' in page.text
    services.dossier_send_back(
        dossier=sent_back, actor=people["leader"], reason="Sai ngày sinh"
    )

    response = client.post(
        reverse("dossiers:queue-sign"),
        {"codes": [first.code, sent_back.code, second.code, "KHONG-CO"]},
        follow=True,
    )

    text = response.text
    assert f"Đã ký duyệt 2 hồ sơ: {first.code}, {second.code}." in text
    assert f"{sent_back.code}: Không thể “Ký duyệt”" in text
    assert "KHONG-CO: không có hồ sơ này trong phạm vi của bạn" in text
    for dossier, status in (
        (first, Status.SIGNED),
        (second, Status.SIGNED),
        (sent_back, Status.PROCESSING),
    ):
        dossier.refresh_from_db()
        assert dossier.status == status
    assert Event.objects.filter(action="sign", actor=people["leader"]).count() == 2


def test_a_specialist_cannot_sign_from_the_queue(client, people):
    dossier = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    login_with_otp(client, people["specialist"])

    response = client.post(
        reverse("dossiers:queue-sign"), {"codes": [dossier.code]}, follow=True
    )

    assert f"{dossier.code}: Bạn không có quyền “Ký duyệt” hồ sơ này." in response.text
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SIGNATURE


def test_the_apology_warning_names_dossiers_due_within_two_working_days(
    client, people, monday
):
    due_wednesday = make_dossier(
        status=Status.RECEIVED,
        **(people | {"procedure": ProcedureFactory(processing_days=2)}),
    )
    already = make_dossier(
        status=Status.RECEIVED,
        **(people | {"procedure": ProcedureFactory(processing_days=2)}),
    )
    services.dossier_apologize(
        dossier=already,
        actor=people["officer"],
        new_due_date=datetime.date(2026, 3, 20),
        reason="Cần xác minh",
    )
    later = make_dossier(
        status=Status.RECEIVED,
        **(people | {"procedure": ProcedureFactory(processing_days=10)}),
    )
    login_with_otp(client, people["officer"])

    response = client.get(reverse(QUEUE))

    rows = {
        code: next(r for r in response.text.split("<tr") if code in r)
        for code in (due_wednesday.code, already.code, later.code)
    }
    hint = "cân nhắc xin lỗi và hẹn lại chậm nhất 01 ngày trước hạn"
    assert hint in rows[due_wednesday.code]
    assert "(10/03)" in rows[due_wednesday.code]
    assert hint not in rows[already.code]
    assert hint not in rows[later.code]
    assert "1 hồ sơ sắp đến hạn" in response.text


# --- Claim, assignment, bulk receipt --------------------------------------------------


def test_an_officer_claims_a_dossier_from_the_queue(client, people):
    dossier = make_dossier(**people)
    login_with_otp(client, people["officer"])

    response = client.post(
        reverse("dossiers:dossier-assign", args=[dossier.code]),
        {
            "assignee": people["officer"].pk,
            "next": reverse(QUEUE) + "?status=submitted",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(QUEUE) + "?status=submitted"
    dossier.refresh_from_db()
    assert dossier.assignee == people["officer"]
    assert dossier.events.last().action == "assign"


def test_a_dossier_goes_only_to_a_colleague_of_the_unit(
    client, people, officer_other_commune
):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    to_colleague = client.post(
        reverse("dossiers:dossier-assign", args=[dossier.code]),
        {"assignee": people["specialist"].pk},
    )
    dossier.refresh_from_db()
    assert dossier.assignee == people["specialist"]

    client.post(
        reverse("dossiers:dossier-assign", args=[dossier.code]),
        {"assignee": officer_other_commune.pk},
    )
    page = client.get(to_colleague["Location"])

    dossier.refresh_from_db()
    assert dossier.assignee == people["specialist"]
    assert "Hãy chọn một cán bộ của đơn vị bạn." in page.text


def test_bulk_receive_reports_each_dossier_that_failed_and_why(
    client, people, officer_other_commune
):
    first = make_dossier(**people)
    second = make_dossier(**people)
    already = make_dossier(status=Status.RECEIVED, **people)
    elsewhere = make_dossier(**(people | {"unit": officer_other_commune.org_unit}))
    login_with_otp(client, people["officer"])
    events = Event.objects.count()

    response = client.post(
        reverse("dossiers:queue-receive"),
        {"codes": [first.code, already.code, second.code, elsewhere.code]},
        follow=True,
    )

    statuses = dict(Dossier.objects.values_list("code", "status"))
    assert statuses[first.code] == statuses[second.code] == Status.RECEIVED
    assert statuses[elsewhere.code] == Status.SUBMITTED
    assert Event.objects.count() == events + 2
    text = response.text
    assert "Đã tiếp nhận 2 hồ sơ" in text
    assert reverse("dossiers:slip-pdf", args=[first.code, "receipt"]) in text
    assert f"{already.code}: Không thể “Tiếp nhận” hồ sơ đang ở trạng thái" in text
    assert f"{elsewhere.code}: không có hồ sơ này trong phạm vi của bạn" in text


def test_bulk_receive_without_a_choice_says_so(client, people):
    login_with_otp(client, people["officer"])

    response = client.post(reverse("dossiers:queue-receive"), {}, follow=True)

    assert "Hãy chọn ít nhất một hồ sơ" in response.text


# --- The dossier page and its actions -------------------------------------------------


def test_the_page_offers_each_available_action_as_a_form(client, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    page = client.get(work_url(dossier))

    for action in ("request_supplement", "forward", "apologize", "refuse"):
        assert reverse("dossiers:dossier-act", args=[dossier.code, action]) in page.text
    assert reverse("dossiers:dossier-act", args=[dossier.code, "sign"]) not in page.text
    assert reverse("dossiers:slip-pdf", args=[dossier.code, "receipt"]) in page.text
    assert reverse("dossiers:slip-pdf", args=[dossier.code, "control"]) in page.text
    assert DataAccessLog.objects.filter(citizen=people["applicant"]).exists()


def test_the_page_names_places_and_papers(client, people, tree):
    procedure = ProcedureFactory(
        form_schema={
            "version": 1,
            "sections": [
                {
                    "key": "a",
                    "title": {"vi": "A", "en": "A"},
                    "fields": [
                        {
                            "name": "commune",
                            "type": "admin_unit",
                            "required": True,
                            "label": {"vi": "Nơi cư trú", "en": "Residence"},
                        },
                        {
                            "name": "to_khai",
                            "type": "file",
                            "document": "to-khai",
                            "label": {"vi": "Tờ khai", "en": "Form"},
                        },
                    ],
                }
            ],
        }
    )
    DocumentFactory(procedure=procedure, key="to-khai", name="Tờ khai CT01")
    dossier = services.dossier_file_for_citizen(
        helper=people["officer"],
        citizen=people["applicant"],
        procedure=procedure,
        data={"commune": tree["commune_a"].code},
        files=[("to-khai", pdf_upload("ct01.pdf"))],
    )
    login_with_otp(client, people["officer"])

    page = client.get(work_url(dossier))

    assert "Xã An (99991)" in page.text
    assert "Tờ khai CT01: <a" in page.text


def test_receive_then_the_receipt_opens(client, people, monday):
    dossier = make_dossier(**people)
    login_with_otp(client, people["officer"])

    response = act(client, dossier, "receive", note="Đủ giấy tờ")

    assert response.status_code == 302
    assert response["Location"] == work_url(dossier) + "?slip=receipt"
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.events.last().note == "Đủ giấy tờ"
    page = client.get(response["Location"])
    receipt = reverse("dossiers:slip-pdf", args=[dossier.code, "receipt"])
    assert f'href="{receipt}"' in page.text
    assert "data-auto-open" in page.text
    assert "Đã tiếp nhận hồ sơ." in page.text


def test_request_supplement_lists_the_papers_and_why(client, people):
    procedure = ProcedureFactory()
    DocumentFactory(procedure=procedure, name="Giấy chứng sinh")
    dossier = make_dossier(status=Status.RECEIVED, procedure=procedure, **people)
    login_with_otp(client, people["officer"])

    response = act(
        client,
        dossier,
        "request_supplement",
        papers="Giấy chứng sinh",
        other_items="Bản sao sổ hộ khẩu\n\n",
        reason="Bản chụp mờ",
    )

    assert response["Location"].endswith("?slip=supplement")
    event = dossier.events.last()
    assert event.details["items"] == ["Giấy chứng sinh", "Bản sao sổ hộ khẩu"]
    assert event.note == "Bản chụp mờ"


@pytest.mark.parametrize(
    ("action", "status", "fields", "error"),
    [
        ("refuse", Status.RECEIVED, {"reason": ""}, "Hãy ghi rõ lý do."),
        ("stop", Status.SUPPLEMENT_REQUESTED, {"reason": " "}, "Hãy ghi rõ lý do."),
        (
            "request_supplement",
            Status.RECEIVED,
            {"reason": "Thiếu", "other_items": ""},
            "Hãy chọn hoặc ghi ít nhất một giấy tờ",
        ),
        (
            "request_supplement",
            Status.RECEIVED,
            {"other_items": "Giấy chứng sinh giữ nguyên", "reason": ""},
            "Hãy ghi rõ lý do và hướng dẫn.",
        ),
        (
            "appraise",
            Status.PROCESSING,
            {"title": "Giấy khai sinh", "source": "upload"},
            "Hãy chọn tệp dự thảo kết quả",
        ),
        (
            "send_back",
            Status.AWAITING_SIGNATURE,
            {"reason": " "},
            "Hãy ghi rõ lý do trả lại để chuyên viên sửa dự thảo.",
        ),
        ("return_result", Status.RESULT_READY, {"method": "pigeon"}, "pigeon"),
    ],
)
def test_a_missing_input_is_shown_with_the_input_kept_and_nothing_written(
    client, people, action, status, fields, error
):
    dossier = make_dossier(status=status, **people)
    actor = {"appraise": people["specialist"], "send_back": people["leader"]}.get(
        action, people["officer"]
    )
    login_with_otp(client, actor)
    events = dossier.events.count()

    response = act(client, dossier, action, **fields)

    assert response.status_code == 400
    assert 'id="error-summary"' in response.text
    assert error in response.text
    for value in fields.values():
        if value.strip() and value != "upload":
            assert value in response.text
    assert dossier.events.count() == events
    dossier.refresh_from_db()
    assert dossier.status == status


def test_someone_else_acting_first_is_explained_as_409(client, people, unit_a):
    dossier = make_dossier(**people)
    colleague = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_a)
    login_with_otp(client, people["officer"])
    seen = dossier.status
    services.dossier_receive(dossier=dossier, actor=colleague)
    events = dossier.events.count()

    again = act(client, dossier, "receive", seen=seen)
    refuse = act(client, dossier, "refuse", seen=seen, reason="Sai thẩm quyền")

    for response in (again, refuse):
        assert response.status_code == 409
        assert "Có thể cán bộ khác vừa xử lý hồ sơ này" in response.text
        assert "“Đã tiếp nhận”" in response.text
    assert dossier.events.count() == events
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_an_illegal_move_is_409_as_a_message_and_writes_no_event(client, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["leader"])
    events = Event.objects.count()

    response = act(client, dossier, "sign")

    assert response.status_code == 409
    assert (
        "Không thể “Ký duyệt” hồ sơ đang ở trạng thái “Đã tiếp nhận”" in response.text
    )
    assert 'role="alert"' in response.text
    assert Event.objects.count() == events


def test_an_action_the_officer_may_not_do_is_403(client, people):
    dossier = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    login_with_otp(client, people["officer"])

    response = act(client, dossier, "sign")

    assert response.status_code == 403
    assert "Bạn không có quyền “Ký duyệt” hồ sơ này." in response.text
    assert dossier.events.last().action == "submit_for_signature"


def test_an_unknown_action_is_404(client, people):
    dossier = make_dossier(**people)
    login_with_otp(client, people["officer"])

    assert act(client, dossier, "rate").status_code == 404
    assert act(client, dossier, "withdraw").status_code == 404


def test_forward_to_a_unit_with_an_assignee_of_that_unit(client, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    response = act(
        client,
        dossier,
        "forward",
        to_unit=people["unit"].pk,
        assignee=people["specialist"].pk,
        note="Chuyển chuyên viên tư pháp",
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.processing_unit == people["unit"]
    assert dossier.assignee == people["specialist"]


def test_forward_to_another_unit_refuses_an_assignee_of_a_third(
    client, people, officer_other_commune
):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    other_unit = OrgUnitFactory(name="Phòng Tư pháp huyện")
    login_with_otp(client, people["officer"])

    wrong = act(
        client,
        dossier,
        "forward",
        to_unit=other_unit.pk,
        assignee=officer_other_commune.pk,
    )
    right = act(client, dossier, "forward", to_unit=other_unit.pk)

    assert wrong.status_code == 400
    assert "Cán bộ này không thuộc Phòng Tư pháp huyện." in wrong.text
    assert right.status_code == 302
    dossier.refresh_from_db()
    assert dossier.processing_unit == other_unit


class _Selects(HTMLParser):
    """The <select>s of a page: id -> [(group label or "", option text, attrs)]."""

    def __init__(self):
        super().__init__()
        self.selects = {}
        self._select = self._group = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = self.selects.setdefault(attrs.get("id"), [])
        elif tag == "optgroup":
            self._group = attrs.get("label", "")
        elif tag == "option" and self._select is not None:
            self._option = [self._group or "", "", attrs]
            self._select.append(self._option)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "optgroup":
            self._group = None
        elif tag == "option":
            self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data.strip()


def selects_of(response):
    parser = _Selects()
    parser.feed(response.text)
    return parser.selects


def grouped(options):
    """[(group, [option texts])] in the page's order."""
    groups: list[tuple[str, list[str]]] = []
    for group, text, _attrs in options:
        if group and (not groups or groups[-1][0] != group):
            groups.append((group, []))
        if group:
            groups[-1][1].append(text)
    return groups


@pytest.fixture
def forward_units(tree, unit_a, unit_b, district_unit):
    """Units of three places: commune A (the officer's), the district, commune B."""
    return {
        "police_a": OrgUnitFactory(
            name="Công an xã An",
            agency_type=AgencyType.COMMUNE_POLICE,
            admin_unit=tree["commune_a"],
        ),
        "justice": OrgUnitFactory(
            name="Phòng Tư pháp huyện Thử",
            agency_type=AgencyType.DISTRICT_JUSTICE,
            admin_unit=tree["district"],
        ),
        "closed": OrgUnitFactory(
            name="UBND xã Đã Nhập", admin_unit=tree["commune_b"], is_active=False
        ),
    }


def test_the_forward_form_groups_units_by_place_the_officers_own_first(
    client, people, forward_units, officer_other_commune
):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    selects = selects_of(client.get(work_url(dossier)))

    assert grouped(selects["id_forward-to_unit"]) == [
        ("Xã An (địa bàn của bạn)", ["UBND xã An", "Công an xã An"]),
        ("Huyện Thử", ["UBND huyện Thử", "Phòng Tư pháp huyện Thử"]),
        ("Xã Bình", ["UBND xã Bình"]),
    ]
    chosen = [o for o in selects["id_forward-to_unit"] if "selected" in o[2]]
    assert [text for _g, text, _a in chosen] == ["UBND xã An"]
    # Officers in groups by unit, each naming its unit for the page's script.
    officers = selects["id_forward-assignee"]
    assert officers[0][:2] == ["", "— Để đơn vị tự phân công —"]
    assert [group for group, _names in grouped(officers)] == [
        "UBND xã An",
        "UBND xã Bình",
    ]
    other = next(
        o for o in officers if o[2].get("value") == str(officer_other_commune.pk)
    )
    assert other[0] == "UBND xã Bình"
    assert other[2]["data-unit"] == str(officer_other_commune.org_unit_id)


def test_an_officer_of_another_unit_is_refused_and_nothing_is_written(
    client, people, forward_units, officer_other_commune
):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    events = dossier.events.count()
    login_with_otp(client, people["officer"])

    response = act(
        client,
        dossier,
        "forward",
        to_unit=forward_units["justice"].pk,
        assignee=officer_other_commune.pk,
        note="Chuyển Phòng Tư pháp",
    )

    assert response.status_code == 400
    assert (
        "Cán bộ này không thuộc Phòng Tư pháp huyện Thử. Hãy chọn một cán bộ của đơn "
        "vị đó, hoặc để đơn vị tự phân công." in response.text
    )
    # The form comes back with what was chosen and typed.
    assert "Chuyển Phòng Tư pháp" in response.text
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.events.count() == events


def test_a_closed_unit_cannot_be_chosen(client, people, forward_units):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    response = act(client, dossier, "forward", to_unit=forward_units["closed"].pk)

    assert response.status_code == 400
    assert "UBND xã Đã Nhập" not in response.text
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_the_specialist_appraises_with_an_uploaded_draft_and_submits_it(client, people):
    dossier = make_dossier(status=Status.PROCESSING, **people)
    login_with_otp(client, people["specialist"])

    response = client.post(
        reverse("dossiers:dossier-act", args=[dossier.code, "appraise"]),
        {
            "appraise-seen_status": dossier.status,
            "appraise-title": "Giấy khai sinh",
            "appraise-source": "upload",
            "appraise-file": pdf_upload("du-thao.pdf"),
            "appraise-note": "Đủ điều kiện",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.APPRAISED
    assert dossier.result_draft.title == "Giấy khai sinh"
    assert dossier.result_draft.file.read().startswith(b"%PDF")
    assert dossier.assignee == people["specialist"]

    response = act(client, dossier, "submit_for_signature")

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SIGNATURE


def test_a_leader_sends_back_with_a_reason_then_signs(client, people):
    dossier = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    login_with_otp(client, people["leader"])

    response = act(client, dossier, "send_back", reason="Sai ngày sinh")

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.send_back_count == 1
    assert dossier.events.last().note == "Sai ngày sinh"
    services.dossier_appraise(
        dossier=dossier,
        actor=people["specialist"],
        title="Giấy khai sinh",
        file=pdf_upload(),
    )
    services.dossier_submit_for_signature(dossier=dossier, actor=people["specialist"])
    dossier.refresh_from_db()

    response = act(client, dossier, "sign", note="Đồng ý")

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SIGNED


def test_the_one_stop_officer_issues_the_signed_draft_digitised(client, people):
    dossier = make_dossier(status=Status.SIGNED, **people)
    login_with_otp(client, people["officer"])

    page = client.get(work_url(dossier))
    assert "Giấy khai sinh" in page.text  # the draft signed off
    response = act(client, dossier, "issue_result")

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.result_digitized
    assert dossier.result.title == "Giấy khai sinh"
    assert dossier.result.issued_by == people["officer"]
    # The agency's register numbers it (registers); the form asks no number, and
    # the number is stamped on the uploaded file before it is signed.
    assert dossier.result.number == "1"
    assert f"Số: 1, Quyển số: {dossier.result.book}" in pdf_text(
        dossier.result.file.read()
    )


def test_a_draft_that_is_not_a_pdf_is_refused(client, people):
    dossier = make_dossier(status=Status.PROCESSING, **people)
    login_with_otp(client, people["specialist"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("dossiers:dossier-act", args=[dossier.code, "appraise"]),
        {
            "appraise-seen_status": dossier.status,
            "appraise-title": "Giấy khai sinh",
            "appraise-source": "upload",
            "appraise-file": SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        },
    )

    assert response.status_code == 400
    assert "Giấy khai sinh" in response.text
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert not ResultDraft.objects.filter(dossier=dossier).exists()


def test_a_generated_result_pdf_verifies_by_its_token(client, people):
    procedure = ProcedureFactory()
    dossier = make_dossier(
        status=Status.PROCESSING,
        procedure=procedure,
        data={"full_name": "Nguyễn Văn Kết Quả"},
        **people,
    )
    login_with_otp(client, people["specialist"])
    response = act(
        client, dossier, "appraise", title="Giấy xác nhận thử", source="generate"
    )
    assert response.status_code == 302
    services.dossier_submit_for_signature(dossier=dossier, actor=people["specialist"])
    services.dossier_sign(dossier=dossier, actor=people["leader"])
    client.logout()
    login_with_otp(client, people["officer"])
    dossier.refresh_from_db()

    response = act(client, dossier, "issue_result")

    assert response.status_code == 302
    dossier.refresh_from_db()
    result = Result.objects.get(dossier=dossier)
    assert dossier.result_digitized
    content = result.file.read()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "GIẤY XÁC NHẬN THỬ" in text
    assert f"Số: 1, Quyển số: {result.book}" in text
    assert "Nguyễn Văn Kết Quả" in text
    assert dossier.code in text
    url = re.search(r"https?://\S+/verify/\S+/", text).group(0)
    assert url.endswith(f"/verify/{result.token}/")
    client.logout()
    verified = client.get(url.split("testserver", 1)[1])
    assert verified.status_code == 200
    assert "Giấy xác nhận thử" in verified.text


def test_return_the_result_by_post(client, people):
    dossier = make_dossier(status=Status.RESULT_READY, **people)
    login_with_otp(client, people["officer"])

    response = act(client, dossier, "return_result", method="post")

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.return_method) == (Status.RETURNED, "post")


def test_refuse_with_a_reason_opens_the_refusal_slip(client, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    response = act(client, dossier, "refuse", reason="Không thuộc thẩm quyền")

    assert response["Location"].endswith("?slip=refusal")
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED


def test_stop_a_dossier_whose_supplement_never_came(client, people):
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)
    login_with_otp(client, people["officer"])

    response = act(client, dossier, "stop", reason="Quá 7 ngày không bổ sung")

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED


def test_the_apology_offers_only_working_days_after_the_due_date(
    client, people, monday
):
    dossier = make_dossier(status=Status.RECEIVED, **people)  # due Thu 12/03
    login_with_otp(client, people["officer"])

    page = client.get(work_url(dossier))

    options = re.findall(r'<option value="(\d{4}-\d{2}-\d{2})"', page.text)
    assert options[:3] == ["2026-03-13", "2026-03-16", "2026-03-17"]
    assert all(datetime.date.fromisoformat(day).weekday() < 5 for day in options)
    response = act(
        client, dossier, "apologize", new_due_date="2026-03-17", reason="Chờ xác minh"
    )
    assert response["Location"].endswith("?slip=apology")
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at).date() == datetime.date(2026, 3, 17)


def test_a_date_outside_the_list_is_refused(client, people, monday):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    response = act(
        client, dossier, "apologize", new_due_date="2026-03-14", reason="Chờ"
    )

    assert response.status_code == 400
    assert dossier.events.last().action == "receive"


def test_too_late_for_an_apology_is_warned_and_refused(client, people, monday):
    dossier = make_dossier(status=Status.RECEIVED, **people)  # due Thu 12/03
    login_with_otp(client, people["officer"])
    monday.move_to(at("2026-03-11 09:00"), tick=False)
    last_day = client.get(work_url(dossier))
    monday.move_to(at("2026-03-12 09:00"), tick=False)

    page = client.get(work_url(dossier))
    response = act(
        client, dossier, "apologize", new_due_date="2026-03-13", reason="Chờ"
    )

    assert "Hôm nay là ngày cuối cùng được xin lỗi" in last_day.text
    assert "Đã quá thời điểm xin lỗi và hẹn lại" in page.text
    assert "11/03/2026" in page.text
    assert response.status_code == 400
    assert "chậm nhất 01 ngày trước hạn" in response.text
    assert dossier.events.last().action == "receive"


def test_a_same_day_dossier_received_minutes_ago_is_offered_no_apology(
    client, people, monday
):
    """Due the day it was received: the last day to apologise (the day before)
    came before the dossier did, so neither the form nor a "too late" box that
    names it (issue 15: a red box dated before the filing)."""
    same_day = ProcedureFactory(same_day=True, processing_days=None)
    dossier = make_dossier(status=Status.RECEIVED, procedure=same_day, **people)
    assert timezone.localtime(dossier.due_at).date() == datetime.date(2026, 3, 9)
    login_with_otp(client, people["officer"])
    monday.move_to(at("2026-03-09 09:10"), tick=False)

    page = client.get(work_url(dossier))
    response = act(
        client, dossier, "apologize", new_due_date="2026-03-10", reason="Chờ"
    )

    assert 'id="action-apologize"' not in page.text
    assert "Đã quá thời điểm xin lỗi" not in page.text
    assert "08/03/2026" not in page.text
    assert response.status_code == 400
    assert "không kịp báo trước 01 ngày" in response.text
    assert dossier.events.last().action == "receive"


def test_a_fresh_dossier_is_offered_the_apology_without_a_warning(
    client, people, monday
):
    dossier = make_dossier(status=Status.RECEIVED, **people)  # due Thu 12/03
    login_with_otp(client, people["officer"])

    page = client.get(work_url(dossier))

    assert 'id="action-apologize"' in page.text
    assert "Đã quá thời điểm xin lỗi" not in page.text
    assert "ngày cuối cùng được xin lỗi" not in page.text


def test_a_really_late_dossier_says_when_the_apology_was_due(client, people, monday):
    """Ten days past its due day: the box names the last day to apologise,
    between the receipt and the due day, and offers no form."""
    dossier = make_dossier(status=Status.RECEIVED, **people)  # due Thu 12/03
    monday.move_to(at("2026-03-23 10:00"), tick=False)
    login_with_otp(client, people["officer"])

    page = client.get(work_url(dossier))

    box = re.search(r'id="action-apologize".*?</details>', page.text, re.S)
    assert box is not None
    assert "Đã quá thời điểm xin lỗi và hẹn lại" in box.group(0)
    assert "11/03/2026" in box.group(0)
    assert "<form" not in box.group(0)


def test_an_apology_once_made_is_not_offered_again(client, people, monday):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])
    act(client, dossier, "apologize", new_due_date="2026-03-13", reason="Chờ")

    page = client.get(work_url(dossier))

    assert "Đã xin lỗi, hẹn lại" in page.text
    assert 'id="action-apologize"' not in page.text


def test_a_second_apology_is_a_409(client, people, monday):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])
    act(client, dossier, "apologize", new_due_date="2026-03-13", reason="Chờ")
    events = dossier.events.count()

    response = act(
        client, dossier, "apologize", new_due_date="2026-03-16", reason="Lần hai"
    )

    assert response.status_code == 409
    assert "chỉ được hẹn lại một lần" in response.text
    assert dossier.events.count() == events


# --- Counter filing -------------------------------------------------------------------


def start_filing(client, personal_id):
    return client.post(reverse("dossiers:counter-start"), {"personal_id": personal_id})


def file_form(client, procedure, **data):
    return client.post(reverse("dossiers:counter-form", args=[procedure.key]), data)


def test_an_officer_files_at_the_counter_and_receives_at_once(client, people, monday):
    citizen = people["applicant"]
    procedure = ProcedureFactory()
    login_with_otp(client, people["officer"])

    found = start_filing(client, citizen.username)
    assert found["Location"] == reverse("dossiers:counter-procedure")
    chosen = client.get(found["Location"], {"procedure": procedure.key})
    assert chosen["Location"] == reverse("dossiers:counter-form", args=[procedure.key])
    form = client.get(chosen["Location"])
    assert citizen.full_name in form.text  # prefilled from the profile
    response = client.post(
        chosen["Location"],
        {"full_name": "Nguyễn Văn Công", "scans": [pdf_upload("cccd.pdf")]},
    )

    dossier = Dossier.objects.get()
    assert response["Location"] == work_url(dossier) + "?slip=receipt"
    assert dossier.applicant == citizen
    assert dossier.channel == Channel.COUNTER
    assert dossier.assisted_by == people["officer"]
    assert dossier.status == Status.RECEIVED
    assert dossier.attachments.get().uploaded_by == people["officer"]
    assert dossier.events.first().details == {"channel": "counter", "assisted": True}
    assert DataAccessLog.objects.filter(
        citizen=citizen, staff=people["officer"]
    ).exists()


def test_on_the_centres_tuesday_the_officer_writes_the_declaration(
    client, people, time_machine
):
    from tests.procedures.factories import FieldFactory
    from tests.rules.factories import NoAppointmentDayFactory

    NoAppointmentDayFactory(centre=people["unit"])
    citizen = people["applicant"]
    procedure = ProcedureFactory(field=FieldFactory(code="chung-thuc"))
    other = ProcedureFactory()
    time_machine.move_to(at("2026-03-10 14:00"), tick=False)  # Tuesday
    login_with_otp(client, people["officer"])
    start_filing(client, citizen.username)
    url = reverse("dossiers:counter-form", args=[procedure.key])

    form = client.get(url)
    other_form = client.get(reverse("dossiers:counter-form", args=[other.key]))
    response = client.post(url, {"full_name": "Nguyễn Văn Công"})

    assert 'id="writing-help-notice"' in form.text
    assert "không phải nộp hộ" in form.text
    assert 'id="writing-help-notice"' not in other_form.text
    dossier = Dossier.objects.get()
    assert response["Location"] == work_url(dossier) + "?slip=receipt"
    assert dossier.writing_help is True
    assert dossier.assisted is False  # writing help, not a filing for them
    assert dossier.events.first().details == {
        "channel": "counter",
        "assisted": False,
        "writing_help": True,
    }
    assert timezone.localtime(dossier.due_at).strftime("%d/%m %H:%M") == ("10/03 17:00")
    page = client.get(work_url(dossier)).text
    assert "viết giúp tờ khai" in page


def test_on_another_day_the_counter_files_for_the_citizen(client, people, monday):
    from tests.procedures.factories import FieldFactory
    from tests.rules.factories import NoAppointmentDayFactory

    NoAppointmentDayFactory(centre=people["unit"])
    procedure = ProcedureFactory(field=FieldFactory(code="chung-thuc"))
    login_with_otp(client, people["officer"])
    start_filing(client, people["applicant"].username)
    url = reverse("dossiers:counter-form", args=[procedure.key])

    assert 'id="writing-help-notice"' not in client.get(url).text
    client.post(url, {"full_name": "Nguyễn Văn Công"})

    dossier = Dossier.objects.get()
    assert (dossier.writing_help, dossier.assisted) == (False, True)


def test_a_citizen_without_an_account_gets_one_without_password(client, people, monday):
    login_with_otp(client, people["officer"])

    missing = start_filing(client, "036190001234")
    created = client.post(
        reverse("dossiers:counter-citizen-create"),
        {
            "new-personal_id": "036190001234",
            "new-full_name": "Đặng Thị Hồng",
            "new-date_of_birth": "1990-05-01",
            "new-sex": Sex.FEMALE,
            "new-phone": "0987654321",
        },
    )

    assert missing.status_code == 200
    assert "Chưa có tài khoản" in missing.text
    assert 'value="036190001234"' in missing.text
    assert created["Location"] == reverse("dossiers:counter-procedure")
    user = User.objects.get(username="036190001234")
    assert user.is_citizen
    assert not user.has_usable_password()


def test_a_wrong_identity_is_refused_with_the_input_kept(client, people):
    login_with_otp(client, people["officer"])

    response = client.post(
        reverse("dossiers:counter-citizen-create"),
        {
            "new-personal_id": "036090001234",
            "new-full_name": "Đặng Thị Hồng",
            "new-date_of_birth": "1990-05-01",
            "new-sex": Sex.FEMALE,
            "new-phone": "0987654321",
        },
    )

    assert response.status_code == 400
    assert "Chữ số thứ 4" in response.text
    assert "Đặng Thị Hồng" in response.text
    assert not User.objects.filter(username="036090001234").exists()


def test_a_missing_required_paper_is_an_error_on_its_field(client, people):
    procedure = ProcedureFactory(
        form_schema={
            "version": 1,
            "sections": [
                {
                    "key": "a",
                    "title": {"vi": "A", "en": "A"},
                    "fields": [
                        {
                            "name": "full_name",
                            "type": "text",
                            "required": True,
                            "label": {"vi": "Họ và tên", "en": "Name"},
                        },
                        {
                            "name": "giay_chung_sinh",
                            "type": "file",
                            "document": "giay-chung-sinh",
                            "required": True,
                            "label": {"vi": "Giấy chứng sinh", "en": "Birth"},
                        },
                    ],
                }
            ],
        }
    )
    DocumentFactory(procedure=procedure, key="giay-chung-sinh")
    login_with_otp(client, people["officer"])
    start_filing(client, people["applicant"].username)

    missing = file_form(client, procedure, full_name="Nguyễn Văn Công")
    attached = file_form(
        client,
        procedure,
        full_name="Nguyễn Văn Công",
        giay_chung_sinh=pdf_upload("chung-sinh.pdf"),
    )

    assert missing.status_code == 400
    assert "Giấy chứng sinh: Hãy đính kèm giấy tờ này." in missing.text
    assert "Nguyễn Văn Công" in missing.text
    assert attached.status_code == 302
    assert Dossier.objects.get().attachments.get().document_key == "giay-chung-sinh"


def test_only_staff_who_may_file_for_citizens_reach_the_counter(client, people):
    login_with_otp(client, people["specialist"])

    assert client.get(reverse("dossiers:counter-start")).status_code == 403


def sent_code():
    return re.search(r"\b(\d{6})\b", OutboundSms.objects.first().text).group(1)


def test_the_digital_team_files_only_after_the_citizens_phone_code(
    client, people, helper, monday
):
    citizen = people["applicant"]
    procedure = ProcedureFactory()
    login_with_otp(client, helper)

    found = start_filing(client, citizen.username)
    assert found["Location"] == reverse("dossiers:counter-confirm")
    # Nothing before the citizen confirms.
    assert client.get(reverse("dossiers:counter-form", args=[procedure.key]))[
        "Location"
    ] == reverse("dossiers:counter-confirm")
    client.post(reverse("dossiers:counter-confirm"), {"send": "1"})
    assert OutboundSms.objects.get().phone == citizen.phone
    code = sent_code()
    wrong = client.post(
        reverse("dossiers:counter-confirm"),
        {"verify": "1", "code": f"{(int(code) + 1) % 10**6:06d}"},
    )
    assert wrong.status_code == 400
    assert "Mã không đúng; còn 4 lần thử." in wrong.text
    right = client.post(
        reverse("dossiers:counter-confirm"), {"verify": "1", "code": code}
    )
    assert right["Location"] == reverse("dossiers:counter-procedure")
    filed = file_form(client, procedure, full_name="Nguyễn Văn Công")

    dossier = Dossier.objects.get()
    assert filed["Location"] == work_url(dossier)
    assert dossier.status == Status.SUBMITTED
    assert dossier.channel == Channel.ONLINE
    assert dossier.assisted_by == helper
    assert PhoneCode.objects.get().used_at is not None
    # The helper sees what they filed, and can decide nothing.
    page = client.get(work_url(dossier))
    assert page.status_code == 200
    assert "Bạn không có thao tác nào" in page.text
    assert act(client, dossier, "receive").status_code == 403
    assert dossier.events.count() == 1


def test_one_confirmation_files_one_dossier(client, people, helper, monday):
    procedure = ProcedureFactory()
    login_with_otp(client, helper)
    start_filing(client, people["applicant"].username)
    client.post(reverse("dossiers:counter-confirm"), {"send": "1"})
    client.post(
        reverse("dossiers:counter-confirm"), {"verify": "1", "code": sent_code()}
    )
    file_form(client, procedure, full_name="Nguyễn Văn Công")

    start_filing(client, people["applicant"].username)
    again = client.get(reverse("dossiers:counter-procedure"))

    assert again["Location"] == reverse("dossiers:counter-confirm")
    assert Dossier.objects.count() == 1


def test_an_expired_code_is_refused(client, people, helper, monday):
    login_with_otp(client, helper)
    start_filing(client, people["applicant"].username)
    client.post(reverse("dossiers:counter-confirm"), {"send": "1"})
    code = sent_code()
    monday.move_to(at("2026-03-09 09:11"), tick=False)

    response = client.post(
        reverse("dossiers:counter-confirm"), {"verify": "1", "code": code}
    )

    assert response.status_code == 400
    assert "Mã đã hết hạn" in response.text
    assert client.get(reverse("dossiers:counter-procedure"))["Location"] == reverse(
        "dossiers:counter-confirm"
    )


def test_five_wrong_codes_void_the_code(client, people, helper):
    login_with_otp(client, helper)
    start_filing(client, people["applicant"].username)
    client.post(reverse("dossiers:counter-confirm"), {"send": "1"})
    code = sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _i in range(5):
        client.post(reverse("dossiers:counter-confirm"), {"verify": "1", "code": wrong})

    response = client.post(
        reverse("dossiers:counter-confirm"), {"verify": "1", "code": code}
    )

    assert response.status_code == 400
    assert "Đã nhập sai 5 lần; hãy gửi mã mới." in response.text
    assert PhoneCode.objects.get().confirmed_at is None


def test_the_helper_is_told_when_the_sms_cannot_be_sent(
    client, people, helper, settings
):
    settings.SMS_BACKEND = "accounts.adapters.sms.FailingSmsBackend"
    login_with_otp(client, helper)
    start_filing(client, people["applicant"].username)

    response = client.post(
        reverse("dossiers:counter-confirm"), {"send": "1"}, follow=True
    )

    assert "Không gửi được tin nhắn" in response.text
    assert 'name="code"' not in response.text


# --- Appointment calculator -----------------------------------------------------------


def test_the_calculator_gives_the_due_date_and_why(client, officer):
    procedure = ProcedureFactory(processing_days=1)
    login_with_otp(client, officer)

    response = client.get(
        reverse("dossiers:calendar-due"),
        {
            "procedure": procedure.key,
            "received_on": "2026-03-13",
            "received_time": "15:20",
        },
    )

    assert response.status_code == 200
    # Friday 15:20 with 1 working day: counts from Monday, due Tuesday.
    assert "17:00" in response.text
    assert "Thứ Ba 17/03/2026" in response.text
    assert "Tiếp nhận sau 15:00" in response.text


def test_the_calculator_says_when_the_time_limit_is_not_known(client, officer):
    procedure = ProcedureFactory(processing_days=None)
    login_with_otp(client, officer)

    response = client.get(
        reverse("dossiers:calendar-due"),
        {
            "procedure": procedure.key,
            "received_on": "2026-03-09",
            "received_time": "10:00",
        },
    )

    assert "Đang cập nhật" in response.text


def test_the_calculator_refuses_a_bad_date(client, officer):
    procedure = ProcedureFactory()
    login_with_otp(client, officer)

    response = client.get(
        reverse("dossiers:calendar-due"),
        {"procedure": procedure.key, "received_on": "13/13/2026", "received_time": "x"},
    )

    assert response.status_code == 400
    assert 'id="error-summary"' in response.text


# --- Accessibility --------------------------------------------------------------------


def test_the_officer_pages_pass_the_accessibility_check(client, people, helper, monday):
    procedure = ProcedureFactory()
    DocumentFactory(procedure=procedure, name="Tờ khai")
    received = make_dossier(status=Status.RECEIVED, procedure=procedure, **people)
    make_dossier(**people)
    login_with_otp(client, people["officer"])
    pages = {
        "queue": client.get(reverse(QUEUE)),
        "work": client.get(work_url(received)),
        "work-error": act(client, received, "refuse", reason=""),
        "calculator": client.get(
            reverse("dossiers:calendar-due"),
            {
                "procedure": procedure.key,
                "received_on": "2026-03-09",
                "received_time": "10:00",
            },
        ),
        "counter-start": client.get(reverse("dossiers:counter-start")),
        "counter-create": start_filing(client, "036190001234"),
    }
    start_filing(client, people["applicant"].username)
    pages["counter-procedure"] = client.get(reverse("dossiers:counter-procedure"))
    pages["counter-form"] = client.get(
        reverse("dossiers:counter-form", args=[procedure.key])
    )
    client.logout()
    login_with_otp(client, helper)
    start_filing(client, people["applicant"].username)
    client.post(reverse("dossiers:counter-confirm"), {"send": "1"})
    pages["counter-confirm"] = client.get(reverse("dossiers:counter-confirm"))

    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        assert accessibility_problems(response.text) == [], name


# --- The history in words -------------------------------------------------------------


def _a_dossier_with_history(people):
    officer = people["officer"]
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)
    services.dossier_supplement(
        dossier=dossier, actor=people["applicant"], note="Đã bổ sung."
    )
    services.dossier_assign(dossier=dossier, actor=officer, assignee=officer)
    services.dossier_forward(dossier=dossier, actor=officer, to_unit=people["unit"])
    return dossier


def test_the_officers_history_names_each_event_never_its_code(client, people):
    """Issue 15: the officer's history printed "submit", "forward", ... beside
    each line. Each line is the action's label (dossiers.history) and the
    status it led to."""
    from tests.inside import inside_of_the_software, visible_text

    dossier = _a_dossier_with_history(people)
    login_with_otp(client, people["officer"])

    page = client.get(work_url(dossier))

    history = page.text.split("Diễn biến hồ sơ")[1]
    text = visible_text(history)
    for label in (
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ",
        "Yêu cầu bổ sung hồ sơ",
        "Nộp bổ sung hồ sơ",
        "Giao cán bộ xử lý",
        "Chuyển xử lý",
        "Trạng thái: Đang xử lý",
    ):
        assert label in text, label
    assert inside_of_the_software(visible_text(page.text)) == []
    assert "<code>" not in history
