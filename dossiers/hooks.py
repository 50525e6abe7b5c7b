"""Listeners of dossier changes, registered by the apps above (chains, dashboards,
notifications) in their AppConfig.ready(), so that dossiers never imports them.

A listener runs inside the transaction that changed the dossier: it may write rows
(aggregates, chain state) that commit or roll back with the change, and it
schedules anything external with transaction.on_commit / delay_on_commit.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Dossier, Event

Listener = Callable[["Dossier", "Event"], None]

_listeners: list[Listener] = []


def on_transition(listener: Listener) -> Listener:
    """Register `listener(dossier, event)`; usable as a decorator."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def transition_done(*, dossier: "Dossier", event: "Event") -> None:
    for listener in list(_listeners):
        listener(dossier, event)


# --- Page panels ------------------------------------------------------------------
# Apps above add a small block to the dossier pages without dossiers importing them
# (payments: the fee, its state, "pay online", cash at the counter). A panel is
# panel(request, dossier, page) -> HTML ("" for nothing); `page` is "detail" (the
# shared dossier page), "submitted" (the citizen's confirmation) or "work" (the
# officer's page). Panels render their own templates with their own queries.

Panel = Callable[["HttpRequest", "Dossier", str], str]

_panels: list[Panel] = []


def add_page_panel(panel: Panel) -> Panel:
    """Register `panel(request, dossier, page)`; usable as a decorator."""
    if panel not in _panels:
        _panels.append(panel)
    return panel


def page_panels(*, request: "HttpRequest", dossier: "Dossier", page: str) -> list[str]:
    """The HTML of every panel that has something to show on `page`."""
    return [html for panel in list(_panels) if (html := panel(request, dossier, page))]
