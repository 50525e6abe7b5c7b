"""Formatting of figures and links that keep the filters."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import numberformat
from django.utils.formats import get_format, number_format

from ..selectors import Filters

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """A rate as a percentage in the reader's locale; "–" without a denominator."""
    if value is None:
        return "–"
    return f"{number_format(round(value * 100, 1), decimal_pos=1, use_l10n=True)} %"


@register.filter
def num(value: Any) -> str:
    """A count grouped by thousands in the reader's locale (1.871 / 1,871)."""
    if value is None:
        return "–"
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


@register.simple_tag
def stats_url(name: str, filters: Filters, **overrides: Any) -> str:
    """The URL of a dashboards page with the current filters and `overrides`
    (an empty override removes the parameter)."""
    params = filters.query()
    for key, value in overrides.items():
        key = {"start": "from", "end": "to"}.get(key, key)
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return f"{reverse(name)}?{urlencode(params)}"
