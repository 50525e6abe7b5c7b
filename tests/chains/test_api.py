"""The chains' API: `steps` in a linked dossier's detail, the failed-handoff queue
and the staff retry, scoped to the staff member's units."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from agencies.services import agency_fault_add, agency_faults_clear
from chains.models import ChainRun, RunStatus, StepState
from procedures.models import Procedure
from tests.accounts.factories import UserFactory

from .conftest import BIRTH, birth_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def chain(citizen, agencies, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    return ChainRun.objects.get(dossier=dossier)


@pytest.fixture
def failed(citizen, agencies, settings, django_capture_on_commit_callbacks):
    """A chain whose residence step gave up: the police system is down."""
    settings.CHAIN_STEP_MAX_ATTEMPTS = 2
    agency_fault_add(system="residence", mode="error")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    step = ChainRun.objects.get(dossier=dossier).steps.get(order=2)
    assert step.state == StepState.FAILED
    return step


def test_a_linked_dossier_lists_its_steps_in_the_api(citizen, chain):
    url = reverse("dossiers_api:dossier-detail", args=[chain.dossier.code])

    body = api(citizen).get(url).json()

    assert body["chain_status"] == RunStatus.COMPLETED
    steps = body["steps"]
    assert [s["order"] for s in steps] == [1, 2, 3]
    assert [s["procedure"] for s in steps] == ["1.001193", "1.004222", "1.014137"]
    for step in steps:
        assert {"order", "procedure", "agency", "status", "due_at", "result"} <= set(
            step
        )
        assert step["status"] == "done"
        assert step["due_at"]
    number = steps[0]["result"]["personal_id"]
    assert steps[1]["result"]["personal_id"] == number
    assert steps[2]["result"]["card_code"].startswith("TE1")
    assert steps[2]["agency"] == chain.steps.get(order=3).org_unit.agency_code


def test_a_steps_dossier_names_its_linked_dossier(citizen, chain):
    part = chain.steps.get(order=2).sub_dossier
    url = reverse("dossiers_api:dossier-detail", args=[part.code])

    body = api(citizen).get(url).json()

    assert body["linked"] == {"dossier": chain.dossier.code, "order": 2}
    assert "steps" not in body


def test_an_other_citizen_gets_404_for_the_linked_dossier(other_citizen, chain):
    url = reverse("dossiers_api:dossier-detail", args=[chain.dossier.code])

    assert api(other_citizen).get(url).status_code == 404


def test_submitting_a_linked_procedure_through_the_api_needs_level_2(citizen, agencies):
    citizen.identity_level = 1
    citizen.save()
    body = {
        "procedure": BIRTH,
        "unit": agencies["committee"].agency_code,
        "data": birth_data(citizen),
    }

    response = api(citizen).post(
        reverse("dossiers_api:dossier-list"), body, format="json"
    )

    assert response.status_code == 403
    assert "mức độ 2" in response.json()["detail"]
    citizen.identity_level = 2
    citizen.save()
    response = api(citizen).post(
        reverse("dossiers_api:dossier-list"), body, format="json"
    )
    assert response.status_code == 201, response.json()
    # The chain received it in the same transaction.
    assert response.json()["status"] == "processing"


def test_the_failed_queue_shows_a_units_failed_steps_to_its_staff(
    failed, agencies, unit_b, district_unit
):
    police = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=agencies["police"])
    elsewhere = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_b)
    district = UserFactory(roles=[Role.DISTRICT_STAFF], org_unit=district_unit)
    url = reverse("chains_api:failed-list")

    mine = api(police).get(url).json()["results"]
    assert [(s["id"], s["order"], s["status"]) for s in mine] == [
        (failed.pk, 2, "failed")
    ]
    assert mine[0]["attempts"] == 2
    assert "503" in mine[0]["last_error"]
    assert api(elsewhere).get(url).json()["results"] == []
    # District staff see every unit of their area.
    assert [s["id"] for s in api(district).get(url).json()["results"]] == [failed.pk]


def test_the_receiving_unit_of_the_linked_dossier_sees_its_failed_steps(
    failed, officer
):
    results = api(officer).get(reverse("chains_api:failed-list")).json()["results"]

    assert [s["id"] for s in results] == [failed.pk]


def test_citizens_and_strangers_may_not_read_the_failed_queue(failed, citizen):
    url = reverse("chains_api:failed-list")

    assert api(citizen).get(url).status_code == 403
    assert api().get(url).status_code == 401


def test_a_staff_retry_sends_the_step_back_and_the_chain_completes(
    failed, agencies, django_capture_on_commit_callbacks
):
    police = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=agencies["police"])
    agency_faults_clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = api(police).post(reverse("chains_api:step-retry", args=[failed.pk]))

    assert response.status_code == 200, response.json()
    failed.refresh_from_db()
    assert failed.state == StepState.DONE
    assert failed.retried_by == police
    assert ChainRun.objects.get(pk=failed.run_id).status == RunStatus.COMPLETED


def test_a_retry_outside_ones_units_is_404_and_of_a_done_step_409(
    failed, unit_b, officer
):
    elsewhere = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_b)

    response = api(elsewhere).post(reverse("chains_api:step-retry", args=[failed.pk]))
    assert response.status_code == 404
    done = failed.run.steps.get(order=1)
    assert done.state == StepState.DONE
    response = api(officer).post(reverse("chains_api:step-retry", args=[done.pk]))
    assert response.status_code == 409
    assert response.json()["detail"]
    failed.refresh_from_db()
    assert failed.state == StepState.FAILED


def test_a_plain_dossier_detail_has_no_chain_fields(citizen, unit_a):
    from tests.dossiers.factories import make_dossier

    dossier = make_dossier(applicant=citizen, unit=unit_a)
    url = reverse("dossiers_api:dossier-detail", args=[dossier.code])

    body = api(citizen).get(url).json()

    assert "steps" not in body
    assert "linked" not in body
    assert not Procedure.objects.get(pk=dossier.procedure_id).is_linked


def test_the_death_group_is_filed_through_the_drafts_api_with_its_paper(
    citizen, agencies, django_capture_on_commit_callbacks
):
    """Its papers are required: the dossier API alone could not file it."""
    from dossiers.models import Dossier
    from tests.dossiers.factories import pdf_upload

    from .conftest import DEATH, death_data, deceased_person

    deceased_person()
    unit = agencies["committee"].agency_code
    refused = api(citizen).post(
        reverse("dossiers_api:dossier-list"),
        {"procedure": DEATH, "unit": unit, "data": death_data(citizen)},
        format="json",
    )
    assert refused.status_code == 400

    created = api(citizen).post(
        reverse("drafts_api:draft-list"),
        {"procedure": DEATH, "unit": unit, "data": death_data(citizen)},
        format="json",
    )
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert list(draft["problems"]) == ["file_giay_bao_tu"]
    attached = api(citizen).post(
        reverse("drafts_api:draft-attachments", args=[draft["id"]]),
        {"file": pdf_upload("giay-bao-tu.pdf"), "document_key": "giay-bao-tu"},
        format="multipart",
    )
    assert attached.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api(citizen).post(
            reverse("drafts_api:draft-submit", args=[draft["id"]]),
            HTTP_IDEMPOTENCY_KEY="tu-tuat-1",
        )

    assert submitted.status_code == 201, submitted.json()
    dossier = Dossier.objects.get(code=submitted.json()["code"])
    assert ChainRun.objects.get(dossier=dossier).status == RunStatus.COMPLETED
    assert dossier.attachments.get().document_key == "giay-bao-tu"
