"""The published answers about a procedure, on the catalogue's page of it: the
catalogue's template loads this library, its views know nothing of feedback."""

from typing import Any

from django import template

from ..selectors import feedback_public

register = template.Library()

SHOWN = 3


@register.inclusion_tag("feedback/_procedure_feedback.html")
def procedure_feedback(procedure: Any) -> dict[str, Any]:
    rows = list(feedback_public(procedure=procedure.code)[: SHOWN + 1])
    return {
        "procedure": procedure,
        "items": rows[:SHOWN],
        "more": len(rows) > SHOWN,
    }
