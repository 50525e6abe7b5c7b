"""Listeners of dossier changes, registered by the apps above (chains, dashboards,
notifications) in their AppConfig.ready(), so that dossiers never imports them.

A listener runs inside the transaction that changed the dossier: it may write rows
(aggregates, chain state) that commit or roll back with the change, and it
schedules anything external with transaction.on_commit / delay_on_commit.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


# --- Extensions of the dossier page and API (linked dossiers, ...) ------------------
# The apps above add their part of a dossier's page and API answer without
# dossiers importing them: chains shows the steps of a linked dossier this way.
# A provider must cost no query for dossiers that are not its business.

# provider(dossier, request, place) -> HTML ("" when it has nothing to show);
# place is "detail" (the shared dossier page) or "work" (the officer's page).
DetailSection = Callable[["Dossier", Any, str], str]
# provider(dossier, request) -> extra fields of GET /api/v1/dossiers/{code}/.
ApiExtra = Callable[["Dossier", Any], dict[str, Any]]

_detail_sections: list[DetailSection] = []
_api_extras: list[ApiExtra] = []


def detail_section(provider: DetailSection) -> DetailSection:
    """Register a section of the dossier pages; usable as a decorator."""
    if provider not in _detail_sections:
        _detail_sections.append(provider)
    return provider


def api_extra(provider: ApiExtra) -> ApiExtra:
    """Register extra fields of the dossier API's detail; usable as a decorator."""
    if provider not in _api_extras:
        _api_extras.append(provider)
    return provider


def detail_sections_for(*, dossier: "Dossier", request: Any, place: str) -> list[str]:
    sections = (
        provider(dossier, request, place) for provider in list(_detail_sections)
    )
    return [html for html in sections if html]


def api_extras_for(*, dossier: "Dossier", request: Any) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    for provider in list(_api_extras):
        extras.update(provider(dossier, request))
    return extras
