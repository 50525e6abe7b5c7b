import datetime

import factory

from rules.models import CodeFormat, RuleSet, SupplementMode
from rules.seeds import TT03_2025_FORMS


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
