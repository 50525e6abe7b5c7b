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


def _filed_by_digital_team(unit, applicant, **extra):
    """A dossier a community digital team member filed for `applicant`."""
    from tests.procedures.factories import ProcedureFactory

    helper = UserFactory(roles=[Role.DIGITAL_TEAM], org_unit=unit)
    filed = services.dossier_submit(
        applicant=applicant,
        procedure=ProcedureFactory(),
        receiving_unit=unit,
        data={"full_name": "A"},
        assisted_by=helper,
        **extra,
    )
    return helper, filed


def test_a_digital_team_member_sees_only_what_they_filed(dossier, unit_a, citizen):
    helper, filed = _filed_by_digital_team(unit_a, citizen, channel="counter")

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


def test_the_lookup_by_code_sees_what_dossiers_visible_to_sees(
    dossier,
    unit_a,
    unit_b,
    citizen,
    other_citizen,
    officer,
    officer_other_commune,
    specialist,
    district_staff,
    admin_user,
    user_without_role,
):
    """The dossier page's lookup is compiled once per shape of roles (a prepared
    read): for every user and dossier it finds exactly those the queue's rule
    shows, whoever asked first with the same roles."""
    from django.http import Http404

    from dossiers.selectors import dossier_get_for_user

    helper, filed = _filed_by_digital_team(unit_a, other_citizen)
    at_b = make_dossier(applicant=other_citizen, unit=unit_b)
    # Received at commune A, competent at commune B (issue 17).
    competent_b = make_dossier(applicant=citizen, unit=unit_a)
    type(competent_b).objects.filter(pk=competent_b.pk).update(competent_unit=unit_b)
    elsewhere = make_dossier(
        applicant=other_citizen,
        unit=OrgUnitFactory(admin_unit=AdminUnitFactory(kind="tỉnh")),
    )
    inactive = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_a)
    inactive.is_active = False
    inactive.save()
    dossiers = [dossier, filed, at_b, competent_b, elsewhere]
    users = [
        officer_other_commune,
        officer,
        citizen,
        other_citizen,
        specialist,
        district_staff,
        helper,
        admin_user,
        user_without_role,
        inactive,
    ]

    for user in users:
        visible = set(dossiers_visible_to(user=user))
        for lean in (False, True):
            for item in dossiers:
                if item in visible:
                    found = dossier_get_for_user(user=user, code=item.code, lean=lean)
                    assert found == item
                    assert found.receiving_unit == item.receiving_unit
                else:
                    with pytest.raises(Http404):
                        dossier_get_for_user(user=user, code=item.code, lean=lean)
    # The rule was not vacuous: each kind of arm opened something to someone.
    assert competent_b in set(dossiers_visible_to(user=officer_other_commune))
    assert set(dossiers_visible_to(user=helper)) == {filed}
    assert elsewhere not in set(dossiers_visible_to(user=district_staff))


def _page_reads(dossier, every_event=None):
    from dossiers.selectors import (
        dossier_actions_done,
        dossier_attachments,
        dossier_events,
        dossier_last_event,
        dossier_rated,
        dossier_result,
    )

    events = dossier_events(dossier=dossier)
    return {
        "events": [(e.pk, e.actor, e.actor_unit) for e in events],
        "public": [e.pk for e in dossier_events(dossier=dossier, public_only=True)],
        "done": dossier_actions_done(dossier=dossier, events=every_event),
        "done from events": dossier_actions_done(dossier=dossier, events=events),
        "last assign": dossier_last_event(
            dossier=dossier, action="assign", events=every_event
        ),
        "attachments": [
            (a.pk, a.original_name) for a in dossier_attachments(dossier=dossier)
        ],
        "result": (lambda r: r and (r.pk, r.issued_by_unit))(
            dossier_result(dossier=dossier)
        ),
        "rated": dossier_rated(dossier=dossier),
    }


def _orm_reads(dossier):
    from dossiers.models import Attachment, Rating, Result

    events = dossier.events.select_related("actor", "actor_unit").order_by("at", "pk")
    return {
        "events": [(e.pk, e.actor, e.actor_unit) for e in events],
        "public": [e.pk for e in events if e.public],
        "done": set(dossier.events.values_list("action", flat=True)),
        "done from events": set(dossier.events.values_list("action", flat=True)),
        "last assign": dossier.events.filter(action="assign")
        .order_by("-at", "-pk")
        .first(),
        "attachments": [
            (a.pk, a.original_name)
            for a in Attachment.objects.filter(dossier=dossier).order_by(
                "uploaded_at", "pk"
            )
        ],
        "result": (lambda r: r and (r.pk, r.issued_by_unit))(
            Result.objects.filter(dossier=dossier).first()
        ),
        "rated": Rating.objects.filter(dossier=dossier).exists(),
    }


def test_the_dossier_pages_reads_give_what_the_orm_gives(
    citizen, officer, specialist, leader, unit_a
):
    """The page's own reads, compiled once (decision 336), as the ORM reads them:
    bare, then with a history, files, a result and a rating."""
    from django.utils import timezone

    from dossiers.models import Rating, Result

    dossier = make_dossier(
        status=Status.RECEIVED,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        specialist=specialist,
        leader=leader,
    )
    other = make_dossier(
        status=Status.RECEIVED, applicant=citizen, unit=unit_a, officer=officer
    )
    services.attachment_add(uploaded_by=citizen, upload=pdf_upload(), dossier=other)

    def same():
        everything = _orm_reads(dossier)
        assert _page_reads(dossier) == everything
        assert _page_reads(dossier, every_event=_orm_events(dossier)) == everything

    same()
    for _ in range(3):
        services.dossier_assign(dossier=dossier, actor=officer, assignee=specialist)
        services.attachment_add(
            uploaded_by=citizen, upload=pdf_upload(), dossier=dossier
        )
    same()
    Result.objects.create(
        dossier=dossier,
        token="t" * 40,
        title="Giấy khai sinh",
        issued_at=timezone.now(),
        issued_by_unit=unit_a,
        issued_by=leader,
    )
    Rating.objects.create(dossier=dossier, overall=Rating.Overall.SATISFIED)
    same()
    assert _page_reads(dossier)["result"][1] == unit_a
    assert _page_reads(dossier)["rated"]
    assert _page_reads(other)["attachments"] != _page_reads(dossier)["attachments"]


def _orm_events(dossier):
    return list(
        dossier.events.select_related("actor", "actor_unit").order_by("at", "pk")
    )
