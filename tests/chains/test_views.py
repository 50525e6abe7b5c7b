"""The chains' pages: the steps on the dossier page, the step's own dossier for
its agency's officer, the citizen's "correct and resubmit" page, and the staff's
failed-handoff queue. Every page: permissions, the happy path, accessibility."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from agencies.services import agency_fault_add, agency_faults_clear
from chains.models import ChainRun, RunStatus, StepState
from tests.a11y import accessibility_problems
from tests.accounts.factories import UserFactory, login_with_otp

from .conftest import BIRTH, birth_data, living_elsewhere, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def linked_run(citizen, agencies, capture, data=None):
    with capture(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, data or birth_data(citizen)
        )
    return ChainRun.objects.get(dossier=dossier)


@pytest.fixture
def refused(citizen, agencies, django_capture_on_commit_callbacks):
    agency_fault_add(
        system="residence", mode="refuse", times=1, reason="Địa chỉ của mẹ chưa đúng"
    )
    return linked_run(citizen, agencies, django_capture_on_commit_callbacks)


def test_the_dossier_page_shows_every_step_with_agency_status_due_and_result(
    client, citizen, agencies, django_capture_on_commit_callbacks
):
    run = linked_run(citizen, agencies, django_capture_on_commit_callbacks)
    client.force_login(citizen)

    response = client.get(run.dossier.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Các bước liên thông" in page
    for step in run.steps.select_related("org_unit", "sub_dossier"):
        assert step.org_unit.name in page
        assert step.sub_dossier.code in page
        assert f"{step.due_at:%d/%m/%Y}" in page or step.due_at
    assert run.steps.get(order=1).result["personal_id"] in page
    assert run.steps.get(order=3).result["card_code"] in page
    assert "Tải kết quả (đã lưu vào kho dữ liệu cá nhân)" in page
    assert accessibility_problems(page) == []


def test_another_citizen_gets_404_on_the_linked_dossier_and_its_resubmit_page(
    client, other_citizen, refused
):
    client.force_login(other_citizen)

    assert client.get(refused.dossier.get_absolute_url()).status_code == 404
    url = reverse("chains:chain-resubmit", args=[refused.dossier.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_a_refused_step_shows_its_reason_and_the_resubmit_button(
    client, citizen, refused
):
    client.force_login(citizen)

    page = client.get(refused.dossier.get_absolute_url()).content.decode()

    assert "Địa chỉ của mẹ chưa đúng" in page
    assert reverse("chains:chain-resubmit", args=[refused.dossier.code]) in page
    assert "Bị từ chối" in page


def test_the_resubmit_page_corrects_the_data_and_the_chain_goes_on(
    client, citizen, refused, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    url = reverse("chains:chain-resubmit", args=[refused.dossier.code])
    page = client.get(url)
    assert page.status_code == 200
    assert accessibility_problems(page.content.decode()) == []
    form = page.context["form"]
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() not in (None, "")
    }
    data["mother.address"] = "Xóm 9, xã An"
    data["note"] = "Đã sửa địa chỉ"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    refused.refresh_from_db()
    assert refused.status == RunStatus.COMPLETED
    assert refused.steps.get(order=2).revision == 2
    assert refused.dossier.data["mother"]["address"] == "Xóm 9, xã An"


def test_the_choice_of_procedures_stays_whatever_the_resubmit_form_posts(
    client, citizen, agencies, django_capture_on_commit_callbacks
):
    from .conftest import DEATH, death_data, deceased_person

    deceased_person()
    agency_fault_add(
        system="social_insurance",
        operation="decide_survivor_benefit",
        mode="refuse",
        times=1,
        reason="Chưa xác nhận người đại diện",
    )
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], DEATH, death_data(citizen, count="4")
        )
    client.force_login(citizen)
    url = reverse("chains:chain-resubmit", args=[dossier.code])
    form = client.get(url).context["form"]
    assert form.fields["procedure_count"].disabled
    assert form["procedure_count"].value() == "4"
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() not in (None, "") and not form.fields[name].disabled
    }
    data["procedure_count"] = "2"  # a browser never sends it; a forged post might

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.data["procedure_count"] == "4"
    run = ChainRun.objects.get(dossier=dossier)
    assert run.status == RunStatus.COMPLETED
    assert run.steps.get(order=4).revision == 2


def test_a_wrong_correction_comes_back_with_its_errors_and_nothing_saved(
    client, citizen, refused
):
    client.force_login(citizen)
    url = reverse("chains:chain-resubmit", args=[refused.dossier.code])

    response = client.post(url, {"mother.personal_id": "123"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert accessibility_problems(page) == []
    refused.refresh_from_db()
    assert refused.status == RunStatus.WAITING_CITIZEN


def test_the_resubmit_page_is_only_for_a_chain_waiting_for_the_citizen(
    client, citizen, agencies, django_capture_on_commit_callbacks
):
    run = linked_run(citizen, agencies, django_capture_on_commit_callbacks)
    client.force_login(citizen)

    response = client.get(reverse("chains:chain-resubmit", args=[run.dossier.code]))

    assert response.status_code == 302
    assert response.headers["Location"] == run.dossier.get_absolute_url()


def test_an_officer_is_refused_the_citizens_resubmit_page(client, officer, refused):
    login_with_otp(client, officer)

    url = reverse("chains:chain-resubmit", args=[refused.dossier.code])
    assert client.get(url).status_code == 403


def test_the_police_see_their_step_with_the_data_from_the_birth_step(
    client, citizen, agencies, police_officers, django_capture_on_commit_callbacks
):
    run = linked_run(
        citizen, agencies, django_capture_on_commit_callbacks, living_elsewhere(citizen)
    )
    part = run.steps.get(order=2).sub_dossier
    login_with_otp(client, police_officers["officer"])

    response = client.get(reverse("dossiers:dossier-work", args=[part.code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Bước 2 của hồ sơ liên thông {run.dossier.code}" in page
    assert run.steps.get(order=1).result["personal_id"] in page
    assert "chờ cán bộ đơn vị xem xét" in page
    assert accessibility_problems(page) == []
    # The queue of the ward's police has it.
    queue = client.get(reverse("dossiers:queue")).content.decode()
    assert part.code in queue


def test_an_officer_of_another_unit_does_not_see_the_step(
    client, citizen, agencies, officer_other_commune, django_capture_on_commit_callbacks
):
    run = linked_run(
        citizen, agencies, django_capture_on_commit_callbacks, living_elsewhere(citizen)
    )
    part = run.steps.get(order=2).sub_dossier
    login_with_otp(client, officer_other_commune)

    assert (
        client.get(reverse("dossiers:dossier-work", args=[part.code])).status_code
        == 404
    )


def test_staff_see_the_failed_queue_and_send_a_step_back(
    client, citizen, agencies, settings, django_capture_on_commit_callbacks
):
    settings.CHAIN_STEP_MAX_ATTEMPTS = 2
    agency_fault_add(system="social_insurance", mode="error")
    run = linked_run(citizen, agencies, django_capture_on_commit_callbacks)
    card = run.steps.get(order=3)
    assert card.state == StepState.FAILED
    staff = UserFactory(
        roles=[Role.RECEIVING_OFFICER], org_unit=agencies["social_insurance"]
    )
    login_with_otp(client, staff)

    page = client.get(reverse("chains:step-failed"))
    assert page.status_code == 200
    assert run.dossier.code in page.content.decode()
    assert accessibility_problems(page.content.decode()) == []
    agency_faults_clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("chains:step-retry", args=[card.pk]))

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.state == StepState.DONE
    after = client.get(reverse("chains:step-failed")).content.decode()
    assert "Không có bước nào bị lỗi kết nối." in after


def test_the_failed_queue_is_not_for_citizens_or_other_units(
    client,
    citizen,
    officer_other_commune,
    agencies,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CHAIN_STEP_MAX_ATTEMPTS = 1
    agency_fault_add(system="social_insurance", mode="error")
    run = linked_run(citizen, agencies, django_capture_on_commit_callbacks)
    card = run.steps.get(order=3)

    client.force_login(citizen)
    assert client.get(reverse("chains:step-failed")).status_code == 403
    client.logout()
    login_with_otp(client, officer_other_commune)
    page = client.get(reverse("chains:step-failed")).content.decode()
    assert run.dossier.code not in page
    assert client.post(reverse("chains:step-retry", args=[card.pk])).status_code == 404
