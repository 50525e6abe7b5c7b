"""The footer's help: the unit a page is about (where to go, whom to call),
else short links to /help/."""

from typing import Any

from django import template
from django.db.models import ForeignKey, Model

from units.models import OrgUnit

register = template.Library()

# A page about a dossier or a draft points to the unit that received it.
_HOLDERS = ("dossier", "draft")


def _received_by(holder: Any) -> OrgUnit | None:
    """The holder's receiving unit, only if the page already loaded it: the
    footer never costs a query (pages pin their query counts)."""
    if not isinstance(holder, Model):
        return None
    try:
        field = holder._meta.get_field("receiving_unit")
    except LookupError:
        return None
    if not isinstance(field, ForeignKey) or not field.is_cached(holder):
        return None
    unit = getattr(holder, "receiving_unit", None)
    return unit if isinstance(unit, OrgUnit) else None


@register.inclusion_tag("portal/_footer_help.html", takes_context=True)
def footer_help(context: template.Context) -> dict[str, Any]:
    """`footer_units` of the view if it gives them, else the dossier's unit."""
    units = context.get("footer_units")
    if units is None:
        found = (_received_by(context.get(name)) for name in _HOLDERS)
        units = [next((unit for unit in found if unit is not None), None)]
    shown = [u for u in units if u is not None and u.is_active]
    # The markup depends on the units' rows only: kept per row (layout's
    # rendered_once_per), so a unit's edit shows at once.
    rows = tuple(
        tuple(getattr(u, f.attname) for f in u._meta.concrete_fields) for u in shown
    )
    return {"units": shown, "units_key": rows}
