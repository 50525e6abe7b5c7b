"""Template helpers of the catalogue: text in the page's language, days and fees."""

from decimal import Decimal

from django import template
from django.db.models import Model
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from procedures import fees
from procedures.fees import Fee, fee_shown
from procedures.models import Procedure, localized

register = template.Library()


@register.simple_tag
def text_of(obj: Model, field: str, multiline: bool = False) -> SafeString:
    """`obj.field` in the page's language. A Vietnamese fallback on an English page
    is marked lang="vi" so that screen readers pronounce it right."""
    text, language = localized(obj, field)
    # linebreaks() escapes the text but returns a plain str: marked safe here,
    # or the Vietnamese fallback below would show its <p> tags as text.
    body = (
        mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - escaped
        if multiline
        else format_html("{}", text)
    )
    if language == (get_language() or "vi")[:2]:
        return body
    tag = "div" if multiline else "span"
    return format_html('<{} lang="{}">{}</{}>', tag, language, body, tag)


def _number(value: Decimal | int) -> str:
    """7 → "7", 0.5 → "0,5" in Vietnamese and "0.5" in English."""
    text = (
        f"{value:f}".rstrip("0").rstrip(".")
        if isinstance(value, Decimal)
        else str(value)
    )
    return text.replace(".", ",") if (get_language() or "vi").startswith("vi") else text


@register.filter
def working_days(value: Decimal | int | None) -> str:
    if value is None:
        return _("Đang cập nhật")
    return ngettext(
        "%(days)s ngày làm việc", "%(days)s ngày làm việc", 1 if value == 1 else 2
    ) % {"days": _number(value)}


@register.filter
def vnd(amount: int | None) -> str:
    """An amount to pay: 10000 → "10.000 đồng" (Vietnamese) or "VND 10,000";
    0 is free, None being updated (procedures.fees decides the words)."""
    return fee_shown(base_vnd=amount).text


@register.filter
def procedure_fee(procedure: Procedure, channel: str = "online") -> Fee:
    """The fee the catalogue shows for a procedure filed online (or "counter");
    `{{ fee }}` is its text, `fee.known` false while it is being updated."""
    return fees.procedure_fee(procedure, channel)


@register.filter
def yes_no_unknown(value: bool | None) -> str:
    if value is None:
        return _("Đang cập nhật")
    return _("Có") if value else _("Không")
