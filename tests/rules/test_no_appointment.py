"""A centre's "no writing, no appointment" day (issue 22, point 5): dated, per
centre, edited in the admin; which rule covers a procedure received where."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from accounts.roles import Role
from rules.models import NoAppointmentDay, Weekday
from rules.selectors import no_appointment_day_on
from tests.accounts.factories import UserFactory, login_with_otp
from tests.units.factories import OrgUnitFactory

from .factories import NoAppointmentDayFactory

pytestmark = pytest.mark.django_db

TUESDAY = datetime.date(2026, 3, 10)


def covering(unit, day=TUESDAY, field="chung-thuc", code="2.000815"):
    return no_appointment_day_on(
        unit_id=unit.pk,
        parent_id=unit.parent_id,
        day=day,
        field_code=field,
        procedure_code=code,
    )


def test_the_default_rule_is_the_seeds_tuesday_until_three():
    rule = NoAppointmentDay(centre=OrgUnitFactory())

    assert rule.weekday == Weekday.TUESDAY
    assert rule.cutoff == datetime.time(15, 0)
    assert rule.field_codes == ["ho-kinh-doanh", "chung-thuc"]
    assert rule.procedure_codes == ["1.004859"]


@pytest.mark.parametrize(
    ("field", "code", "covered"),
    [
        ("ho-kinh-doanh", "1.001612", True),
        ("chung-thuc", "", True),
        ("ho-tich", "1.004859", True),  # change / correction of civil status
        ("ho-tich", "1.001193", False),  # birth registration
        ("cu-tru", "", False),
    ],
)
def test_a_rule_covers_its_fields_and_procedures(field, code, covered):
    unit = OrgUnitFactory()
    NoAppointmentDayFactory(centre=unit)

    assert (covering(unit, field=field, code=code) is not None) is covered


def test_the_rule_in_force_on_the_day_of_receipt_applies():
    unit = OrgUnitFactory()
    old = NoAppointmentDayFactory(centre=unit, valid_to=datetime.date(2026, 3, 9))
    new = NoAppointmentDayFactory(
        centre=unit,
        weekday=Weekday.WEDNESDAY,
        valid_from=datetime.date(2026, 3, 10),
    )

    assert covering(unit, day=datetime.date(2026, 3, 3)) == old
    assert covering(unit, day=TUESDAY) == new


def test_a_unit_follows_its_own_rule_then_its_centres():
    centre = OrgUnitFactory()
    point = OrgUnitFactory(parent=centre)
    other_point = OrgUnitFactory(parent=centre)
    centres = NoAppointmentDayFactory(centre=centre)
    own = NoAppointmentDayFactory(centre=point, weekday=Weekday.THURSDAY)

    assert covering(point) == own
    assert covering(other_point) == centres
    assert covering(OrgUnitFactory()) is None


def test_periods_of_one_centre_may_not_overlap():
    unit = OrgUnitFactory()
    NoAppointmentDayFactory(centre=unit, valid_from=datetime.date(2026, 1, 1))
    overlapping = NoAppointmentDay(centre=unit, valid_to=datetime.date(2026, 2, 1))
    elsewhere = NoAppointmentDay(centre=OrgUnitFactory())

    with pytest.raises(ValidationError, match="trùng"):
        overlapping.full_clean()
    elsewhere.full_clean()


def test_a_rule_names_something_to_cover():
    rule = NoAppointmentDay(centre=OrgUnitFactory(), field_codes=[], procedure_codes=[])

    with pytest.raises(ValidationError, match="ít nhất một"):
        rule.full_clean()


def test_the_database_refuses_dates_out_of_order():
    with pytest.raises(IntegrityError):
        NoAppointmentDayFactory(
            valid_from=datetime.date(2026, 3, 1), valid_to=datetime.date(2026, 2, 1)
        )


def test_an_administrator_sets_a_centres_day_in_the_admin(client, district_unit):
    admin_user = UserFactory(
        roles=[Role.ADMINISTRATOR], org_unit=district_unit, is_staff=True
    )
    centre = OrgUnitFactory()
    login_with_otp(client, admin_user)
    add = reverse("admin:rules_noappointmentday_add")

    assert "ho-kinh-doanh, chung-thuc" in client.get(add).text
    response = client.post(
        add,
        {
            "centre": centre.pk,
            "weekday": Weekday.TUESDAY,
            "field_codes": "ho-kinh-doanh, chung-thuc",
            "procedure_codes": "1.004859, 2.000884",
            "cutoff": "15:00",
            "valid_from": "2026-01-01",
            "valid_to": "",
            "source": "",
            "note": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = NoAppointmentDay.objects.get(centre=centre)
    assert rule.field_codes == ["ho-kinh-doanh", "chung-thuc"]
    assert rule.procedure_codes == ["1.004859", "2.000884"]
    listing = client.get(reverse("admin:rules_noappointmentday_changelist"))
    assert centre.name in listing.text
