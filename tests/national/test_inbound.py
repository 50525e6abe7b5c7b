"""Dossiers filed on the national portal and pushed here (issue 19, point 2):
signed pushes only, 201 with the local code, 409 for a national code already
received, 400 for an invalid push; each refusal changes nothing."""

import json
import time

import pytest
from django.test import Client

from dossiers.models import Dossier, Status
from national.inbound import push_signature
from national.models import NationalLink, OutboxEntry
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/national/inbound/"
SECRET = "a-secret-shared-with-the-national-portal"


@pytest.fixture
def signed(connected):
    connected.NATIONAL_INBOUND_SECRET = SECRET

    def post(push, *, secret=SECRET, timestamp=None, raw=None):
        body = raw if raw is not None else json.dumps(push).encode()
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {"X-DVCQG-Timestamp": stamp}
        if secret:
            headers["X-DVCQG-Signature"] = push_signature(
                body=body, timestamp=stamp, secret=secret
            )
        return Client().post(
            URL, body, content_type="application/json", headers=headers
        )

    return post


@pytest.fixture
def push(unit_a):
    procedure = ProcedureFactory()
    return {
        "national_code": "G22.99-261207-000123",
        "procedure": procedure.code,
        "agency_code": unit_a.agency_code,
        "applicant": {
            "personal_id": "036085000777",
            "full_name": "Trần Thị Nộp",
            "date_of_birth": "1985-03-02",
            "sex": "male",
            "phone": "0912345678",
        },
        "data": {"full_name": "Trần Thị Nộp"},
        "papers": [{"title": "Giấy khai sinh", "reference": "KHODL-000123"}],
    }


def test_a_signed_push_enters_the_queue_with_its_national_code(signed, push, unit_a):
    response = signed(push)

    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get(code=body["code"])
    assert body["national_code"] == push["national_code"]
    assert dossier.status == Status.SUBMITTED
    assert dossier.receiving_unit == unit_a
    assert dossier.applicant.username == "036085000777"
    link = NationalLink.objects.get(dossier=dossier)
    assert link.papers == push["papers"]
    # Its statuses flow back through the outbox, under its national code.
    assert OutboxEntry.objects.filter(dossier=dossier).exists()


def test_the_same_national_code_again_answers_409_with_the_first_dossier(signed, push):
    first = signed(push).json()
    again = signed(push | {"data": {"full_name": "Khác"}})

    assert again.status_code == 409
    assert again.json()["code"] == first["code"]
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure": "9.999999"}, "procedure"),
        ({"agency_code": "KHONG.CO"}, "agency_code"),
        ({"national_code": ""}, "national_code"),
        ({"data": "không phải đối tượng"}, "data"),
        ({"papers": [{"title": "Thiếu mã"}]}, "papers"),
        ({"applicant": {"personal_id": "12", "full_name": "A"}}, "applicant"),
    ],
)
def test_an_invalid_push_is_refused_by_field_and_changes_nothing(
    signed, push, change, field
):
    response = signed(push | change)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Dossier.objects.exists()
    assert not NationalLink.objects.exists()


def test_form_data_the_procedure_refuses_is_a_400(signed, push):
    response = signed(push | {"data": {}})
    assert response.status_code == 400
    assert "data" in response.json()["errors"]
    assert not Dossier.objects.exists()


def test_a_body_that_is_not_json_is_a_400(signed):
    response = signed(None, raw=b"{not json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "how", ["unsigned", "wrong secret", "stale", "body changed after signing"]
)
def test_an_unsigned_or_wrongly_signed_push_changes_nothing(signed, push, how):
    if how == "unsigned":
        response = signed(push, secret="")
    elif how == "wrong secret":
        response = signed(push, secret="not-the-secret")
    elif how == "stale":
        response = signed(push, timestamp=int(time.time()) - 3600)
    else:
        body = json.dumps(push).encode()
        stamp = str(int(time.time()))
        signature = push_signature(body=body, timestamp=stamp, secret=SECRET)
        changed = json.dumps(push | {"national_code": "G22.99-OTHER"}).encode()
        response = Client().post(
            URL,
            changed,
            content_type="application/json",
            HTTP_X_DVCQG_TIMESTAMP=stamp,
            HTTP_X_DVCQG_SIGNATURE=signature,
        )

    assert response.status_code == 401
    assert not Dossier.objects.exists()


def test_without_a_configured_secret_every_push_is_refused(signed, push, settings):
    settings.NATIONAL_INBOUND_SECRET = ""
    assert signed(push).status_code == 401
    assert not Dossier.objects.exists()


PAPER_SCHEMA = {
    "version": 1,
    "sections": [
        {
            "key": "to-khai",
            "title": {"vi": "Tờ khai", "en": "Form"},
            "fields": [
                {
                    "name": "full_name",
                    "type": "text",
                    "required": True,
                    "label": {"vi": "Họ và tên", "en": "Full name"},
                },
                {
                    "name": "file_giay_khai_sinh",
                    "type": "file",
                    "document": "giay-khai-sinh",
                    "required": True,
                    "label": {"vi": "Giấy khai sinh", "en": "Birth certificate"},
                },
            ],
        }
    ],
}


@pytest.fixture
def needs_a_paper(push):
    procedure = ProcedureFactory(form_schema=PAPER_SCHEMA)
    return push | {"procedure": procedure.code}


def test_a_required_paper_given_by_reference_needs_no_upload(signed, needs_a_paper):
    papers = [
        {
            "title": "Giấy khai sinh",
            "reference": "KHODL-000123",
            "document": "giay-khai-sinh",
        }
    ]

    response = signed(needs_a_paper | {"papers": papers})

    assert response.status_code == 201, response.content
    link = NationalLink.objects.get(national_code=needs_a_paper["national_code"])
    assert link.papers == papers
    assert link.dossier.attachments.count() == 0


def test_a_required_paper_not_named_is_refused_with_its_field(signed, needs_a_paper):
    # The paper is there, but not said to be the procedure's birth certificate.
    response = signed(needs_a_paper)

    assert response.status_code == 400
    assert "file_giay_khai_sinh" in response.json()["errors"]["data"]
    assert not Dossier.objects.exists()


def test_correcting_the_data_does_not_ask_again_for_a_paper_given_by_reference(
    signed, needs_a_paper, officer
):
    from dossiers import services

    papers = [{"title": "GKS", "reference": "KHODL-1", "document": "giay-khai-sinh"}]
    response = signed(needs_a_paper | {"papers": papers})
    dossier = Dossier.objects.get(code=response.json()["code"])
    dossier = services.dossier_receive(dossier=dossier, actor=officer)
    dossier = services.dossier_request_supplement(
        dossier=dossier, actor=officer, items=["Họ tên"], reason="Sai họ tên"
    )

    corrected = services.dossier_data_correct(
        dossier=dossier, actor=dossier.applicant, data={"full_name": "Trần Thị Nộp"}
    )

    assert corrected.data["full_name"] == "Trần Thị Nộp"


def test_an_inbound_dossier_goes_through_the_whole_flow_and_the_twin_hears_each_status(
    signed, push, people, django_capture_on_commit_callbacks
):
    from dossiers import services
    from national.models import TwinReceipt
    from tests.dossiers.factories import pdf_upload

    with django_capture_on_commit_callbacks(execute=True):
        response = signed(push)
    dossier = Dossier.objects.get(code=response.json()["code"])
    officer, specialist = people["officer"], people["specialist"]
    moves = [
        lambda d: services.dossier_receive(dossier=d, actor=officer),
        lambda d: services.dossier_forward(
            dossier=d, actor=officer, to_unit=people["unit"]
        ),
        lambda d: services.dossier_appraise(
            dossier=d, actor=specialist, title="Giấy xác nhận", file=pdf_upload()
        ),
        lambda d: services.dossier_submit_for_signature(dossier=d, actor=specialist),
        lambda d: services.dossier_sign(dossier=d, actor=people["leader"]),
        lambda d: services.dossier_issue_signed_result(dossier=d, actor=officer),
        lambda d: services.dossier_return_result(
            dossier=d, actor=officer, method="online"
        ),
    ]
    for move in moves:
        with django_capture_on_commit_callbacks(execute=True):
            dossier = move(dossier)

    assert dossier.status == Status.RETURNED
    heard = list(
        TwinReceipt.objects.filter(dossier_code=dossier.code).order_by("sequence")
    )
    actions = [receipt.action for receipt in heard]
    assert actions == [
        "submit",
        "receive",
        "forward",
        "appraise",
        "submit_for_signature",
        "sign",
        "issue_result",
        "return_result",
    ]
    # Each status with its national sync code (national/status.py).
    assert [receipt.status for receipt in heard] == [
        "receiving",
        "new",
        *["processing"] * 4,
        "releasing",
        "done",
    ]
    assert not any(receipt.out_of_order or receipt.repeats for receipt in heard)
    # Every status names the dossier's code on the national portal.
    assert {receipt.request["national_code"] for receipt in heard} == {
        push["national_code"]
    }
