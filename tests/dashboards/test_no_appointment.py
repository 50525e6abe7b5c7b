"""The dashboard counts the same-day results of the centres' "no writing, no
appointment" day (issue 22, point 5)."""

import pytest
from django.urls import reverse

from dashboards.selectors.no_appointment import no_appointment_figures
from dossiers.models import Status
from tests.dossiers.factories import at, make_dossier
from tests.procedures.factories import FieldFactory, ProcedureFactory
from tests.rules.factories import NoAppointmentDayFactory
from units.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuesday(people, time_machine):
    """Unit A's Tuesday: a certification returned at once, one still open at
    17:00, one received after the cut-off, one of another procedure."""
    NoAppointmentDayFactory(centre=people["unit"])
    certification = ProcedureFactory(field=FieldFactory(code="chung-thuc"))
    time_machine.move_to(at("2026-03-10 09:00"), tick=False)
    make_dossier(status=Status.RETURNED, **people, procedure=certification)
    open_one = make_dossier(status=Status.PROCESSING, **people, procedure=certification)
    make_dossier(status=Status.RETURNED, **people)
    time_machine.move_to(at("2026-03-10 15:30"), tick=False)
    make_dossier(status=Status.RETURNED, **people, procedure=certification)
    time_machine.move_to(at("2026-03-11 10:00"), tick=False)
    return open_one


def figures(unit, start, end):
    import datetime

    found = no_appointment_figures(
        org_units=OrgUnit.objects.filter(pk=unit.pk),
        start=datetime.date.fromisoformat(start),
        end=datetime.date.fromisoformat(end),
    )
    return {f["key"]: f["value"] for f in found}


def test_same_day_results_of_the_day_are_counted(people, tuesday):
    counts = figures(people["unit"], "2026-03-01", "2026-03-31")

    assert counts == {
        "no_appointment_received": 2,
        "no_appointment_same_day": 1,
        "no_appointment_same_day_rate": 0.5,
    }
    assert (
        figures(people["unit"], "2026-03-11", "2026-03-31")["no_appointment_received"]
        == 0
    )


def test_a_result_issued_the_next_day_is_not_a_same_day_result(
    people, tuesday, specialist, leader
):
    from dossiers import services
    from tests.dossiers.factories import pdf_upload

    services.dossier_appraise(
        dossier=tuesday, actor=specialist, title="Bản sao", file=pdf_upload()
    )
    services.dossier_submit_for_signature(dossier=tuesday, actor=specialist)
    services.dossier_sign(dossier=tuesday, actor=leader)
    services.dossier_issue_signed_result(dossier=tuesday, actor=people["officer"])

    counts = figures(people["unit"], "2026-03-01", "2026-03-31")
    assert counts["no_appointment_same_day"] == 1


def test_the_dashboard_shows_the_figure(
    client, district_staff, login_staff, people, tuesday
):
    login_staff(client, district_staff)

    page = client.get(
        reverse("dashboards:stats-dashboard"),
        {"from": "2026-03-01", "to": "2026-03-31"},
    ).text

    assert "Trả kết quả trong ngày “không viết, không hẹn”" in page
