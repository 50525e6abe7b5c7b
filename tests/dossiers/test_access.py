"""Nobody sees a dossier that is not theirs: every dossier URL and API route is a
404 for another citizen and for an officer of another commune."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from dossiers import services
from dossiers.models import Status
from dossiers.selectors import dossiers_visible_to
from tests.accounts.factories import UserFactory, login_with_otp
from tests.units.factories import AdminUnitFactory, OrgUnitFactory

from .factories import make_dossier, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(citizen, officer, specialist, leader, unit_a):
    dossier = make_dossier(
        status=Status.RETURNED,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        specialist=specialist,
        leader=leader,
    )
    return dossier


def web_urls(dossier):
    attachment = services.attachment_add(
        uploaded_by=dossier.applicant, upload=pdf_upload(), dossier=dossier
    )
    return [
        reverse("dossiers:dossier-detail", args=[dossier.code]),
        reverse("dossiers:attachment-download", args=[dossier.code, attachment.pk]),
    ]


API_ROUTES = [
    ("get", "dossiers_api:dossier-detail", {}),
    ("post", "dossiers_api:dossier-action", {"action": "withdraw"}),
    ("post", "dossiers_api:dossier-action", {"action": "receive"}),
    ("post", "dossiers_api:dossier-attachments", {}),
]


def _login(client, user):
    if user.is_officer:
        login_with_otp(client, user)
    else:
        client.force_login(user)


@pytest.mark.parametrize("persona", ["other_citizen", "officer_other_commune"])
def test_every_dossier_page_is_404_for_outsiders(client, request, dossier, persona):
    urls = web_urls(dossier)
    _login(client, request.getfixturevalue(persona))

    for url in urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["other_citizen", "officer_other_commune"])
@pytest.mark.parametrize(("method", "name", "body"), API_ROUTES)
def test_every_dossier_api_route_is_404_for_outsiders(
    request, dossier, persona, method, name, body
):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(persona))
    events = dossier.events.count()

    response = getattr(client, method)(reverse(name, args=[dossier.code]), body)

    assert response.status_code == 404
    assert dossier.events.count() == events


@pytest.mark.parametrize("persona", ["other_citizen", "officer_other_commune"])
def test_the_list_api_shows_outsiders_nothing(request, dossier, persona):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(persona))

    response = client.get(reverse("dossiers_api:dossier-list"))

    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    "persona", ["citizen", "officer", "specialist", "leader", "district_staff"]
)
def test_those_concerned_see_the_dossier(client, request, dossier, persona):
    urls = web_urls(dossier)
    _login(client, request.getfixturevalue(persona))

    for url in urls:
        assert client.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_login(client, dossier):
    response = client.get(reverse("dossiers:dossier-detail", args=[dossier.code]))

    assert response.status_code == 302
    assert APIClient().get(
        reverse("dossiers_api:dossier-detail", args=[dossier.code])
    ).status_code in (401, 403)


def test_district_staff_see_their_area_only(dossier, district_staff):
    elsewhere = OrgUnitFactory(admin_unit=AdminUnitFactory(kind="tỉnh"))
    outside = make_dossier(applicant=dossier.applicant, unit=elsewhere)

    visible = set(dossiers_visible_to(user=district_staff))

    assert dossier in visible
    assert outside not in visible


def test_a_digital_team_member_sees_only_what_they_filed(dossier, unit_a, citizen):
    from tests.procedures.factories import ProcedureFactory

    helper = UserFactory(roles=[Role.DIGITAL_TEAM], org_unit=unit_a)
    filed = services.dossier_submit(
        applicant=citizen,
        procedure=ProcedureFactory(),
        receiving_unit=unit_a,
        data={"full_name": "A"},
        channel="counter",
        assisted_by=helper,
    )

    assert list(dossiers_visible_to(user=helper)) == [filed]
    assert filed.assisted


def test_an_officers_view_of_a_dossier_is_logged_for_the_citizen(
    client, dossier, officer
):
    from accounts.models import DataAccessLog

    login_with_otp(client, officer)
    client.get(reverse("dossiers:dossier-detail", args=[dossier.code]))

    log = DataAccessLog.objects.get(citizen=dossier.applicant)
    assert log.staff == officer
    assert dossier.code in log.context


def test_the_applicant_viewing_their_own_dossier_is_not_logged(client, dossier):
    from accounts.models import DataAccessLog

    client.force_login(dossier.applicant)
    client.get(reverse("dossiers:dossier-detail", args=[dossier.code]))

    assert not DataAccessLog.objects.exists()
