"""Loading the seeded rule sets (rules/seeds.py)."""

from typing import Any

from django.db import transaction

from .models import RuleSet
from .seeds import RULE_SETS


@transaction.atomic
def rules_load(*, update: bool = False) -> dict[str, int]:
    """Add the seeded rule sets not in the database (by slug). An existing set
    is left as the admin left it, unless `update` (then the seed wins)."""
    added = updated = 0
    for seed in RULE_SETS:
        values: dict[str, Any] = {k: v for k, v in seed.items() if k != "slug"}
        rule_set = RuleSet.objects.filter(slug=seed["slug"]).first()
        if rule_set is None:
            rule_set = RuleSet(slug=seed["slug"], **values)
            rule_set.full_clean()
            rule_set.save()
            added += 1
        elif update:
            for name, value in values.items():
                setattr(rule_set, name, value)
            rule_set.full_clean()
            rule_set.save()
            updated += 1
    return {"added": added, "updated": updated, "total": RuleSet.objects.count()}
