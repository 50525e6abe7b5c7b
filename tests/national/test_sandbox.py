"""The twin pushes a dossier "filed on the national portal" from its page
(issue 19, point 5): the same service as the signed API, development only."""

import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dossiers.models import Dossier
from national.inbound import inbound_receive
from national.models import NationalLink
from national.sandbox import twin_example_push
from procedures.services import catalogue_load_reference
from tests.procedures.factories import ProcedureFactory
from units.services import units_load_reference

pytestmark = pytest.mark.django_db
PUSH = reverse("national:sandbox-push")
PAGE = reverse("national:sandbox")


@pytest.fixture
def staff(connected, people, login_staff):
    client = Client()
    login_staff(client, people["officer"])
    return client


@pytest.fixture
def push(people):
    return {
        "national_code": "G22.99-261207-000999",
        "procedure": ProcedureFactory().code,
        "agency_code": people["unit"].agency_code,
        "applicant": {
            "personal_id": people["applicant"].username,
            "full_name": people["applicant"].full_name,
        },
        "data": {"full_name": people["applicant"].full_name},
        "papers": [],
    }


def test_the_page_offers_an_example_to_push(staff):
    page = staff.get(PAGE)

    assert page.status_code == 200
    text = page.context["push_text"]
    example = json.loads(text)
    assert example["national_code"].startswith("G22.99-")
    assert 'action="/dvcqg-sandbox/push/"' in page.content.decode()


def test_a_push_from_the_page_enters_the_queue_and_shows_on_the_twin(staff, push):
    response = staff.post(PUSH, {"push": json.dumps(push)})

    link = NationalLink.objects.get(national_code=push["national_code"])
    assert response.status_code == 302
    assert response.headers["Location"] == f"{PAGE}?code={link.dossier.code}"
    again = staff.post(PUSH, {"push": json.dumps(push)}, follow=True)
    assert "đã được nhận trước đó" in again.content.decode()
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("{not json", "Không đọc được JSON"),
        (json.dumps({"national_code": "G22.99-1"}), "procedure"),
    ],
)
def test_a_bad_push_is_shown_back_with_its_errors_and_saves_nothing(staff, text, shown):
    response = staff.post(PUSH, {"push": text})

    assert response.status_code == 400
    html = response.content.decode()
    assert shown in html
    assert "không có gì được lưu" in html
    assert response.context["push_text"] == text
    assert not Dossier.objects.exists()


def test_only_staff_push_and_nothing_answers_with_the_twin_off(
    connected, people, staff, push, client
):
    client.force_login(people["applicant"])
    assert client.post(PUSH, {"push": json.dumps(push)}).status_code == 403
    assert staff.get(PUSH).status_code == 405

    connected.NATIONAL_SANDBOX_ENABLED = False
    assert staff.post(PUSH, {"push": json.dumps(push)}).status_code == 404
    assert not Dossier.objects.exists()


def test_the_example_is_accepted_as_it_is_by_the_demo(settings):
    settings.DEMO_MODE = True
    units_load_reference()
    catalogue_load_reference(overwrite=True)
    call_command("seed_demo")

    example = twin_example_push()
    received = inbound_receive(push=example)

    assert received.created
    dossier = received.dossier
    assert dossier.procedure.code == "2.000815"
    assert dossier.applicant.username == example["applicant"]["personal_id"]
    assert dossier.national_link.papers == example["papers"]


def test_the_officer_sees_the_national_code_and_the_papers_by_reference(staff, push):
    papers = [{"title": "Bằng tốt nghiệp", "reference": "KHODL-42"}]
    staff.post(PUSH, {"push": json.dumps(push | {"papers": papers})})
    dossier = NationalLink.objects.get(national_code=push["national_code"]).dossier

    html = staff.get(reverse("dossiers:dossier-work", args=[dossier.code])).content
    text = html.decode()

    assert push["national_code"] in text
    assert "Bằng tốt nghiệp" in text
    assert "<code>KHODL-42</code>" in text
