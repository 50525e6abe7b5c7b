import datetime

import factory

from rules.models import CodeFormat, NoAppointmentDay, RuleSet, SupplementMode, Weekday
from rules.seeds import TT03_2025_FORMS
from tests.units.factories import OrgUnitFactory


class RuleSetFactory(factory.django.DjangoModelFactory):
    """A rule set in force on every day unless given dates."""

    class Meta:
        model = RuleSet

    slug = factory.Sequence(lambda n: f"thu-{n}")
    name = factory.Sequence(lambda n: f"Bộ quy tắc thử {n}")
    valid_from = None
    valid_to = None
    legal_basis = "Nghị định thử"
    forms = factory.LazyFunction(lambda: [dict(f) for f in TT03_2025_FORMS])
    supplement_mode = SupplementMode.RESTART
    cutoff = datetime.time(15, 0)
    code_format = CodeFormat.TT01_2018
    code_system = "00"


class NoAppointmentDayFactory(factory.django.DjangoModelFactory):
    """A centre's Tuesday before 15:00, with the default eligible set, in force
    on every day unless given dates."""

    class Meta:
        model = NoAppointmentDay

    centre = factory.SubFactory(OrgUnitFactory)
    weekday = Weekday.TUESDAY
    cutoff = datetime.time(15, 0)
    valid_from = None
    valid_to = None
