"""Listeners of dossier changes, registered by the apps above (chains, dashboards,
notifications) in their AppConfig.ready(), so that dossiers never imports them.

A listener runs inside the transaction that changed the dossier: it may write rows
(aggregates, chain state) that commit or roll back with the change, and it
schedules anything external with transaction.on_commit / delay_on_commit.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from procedures.fees import Fee, fee_shown

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


# --- Sections of the dossier pages, fields of the API -----------------------------
# The apps above add their part of a dossier's pages and API answer without
# dossiers importing them (payments: the fee, "pay online", cash at the counter;
# chains: the steps of a linked dossier). A provider must cost no query for
# dossiers that are not its business.
#
# provider(request, dossier, place) -> HTML ("" when it has nothing to show), where
# place is where the page shows it:
#   "detail-top"   the shared dossier page, above its facts (calls to action)
#   "detail"       the shared dossier page, below its facts
#   "submitted"    the citizen's confirmation after submitting
#   "work"         the officer's page, main column
#   "work-actions" the officer's page, beside the actions
PageSection = Callable[["HttpRequest", "Dossier", str], str]
# provider(dossier, request) -> extra fields of GET /api/v1/dossiers/{code}/.
ApiExtra = Callable[["Dossier", Any], dict[str, Any]]

_page_sections: list[PageSection] = []
_api_extras: list[ApiExtra] = []


def page_section(provider: PageSection) -> PageSection:
    """Register a section of the dossier pages; usable as a decorator."""
    if provider not in _page_sections:
        _page_sections.append(provider)
    return provider


def page_sections(
    *, request: "HttpRequest", dossier: "Dossier", place: str
) -> list[str]:
    """The HTML of every section that has something to show at `place`."""
    sections = (provider(request, dossier, place) for provider in list(_page_sections))
    return [html for html in sections if html]


def api_extra(provider: ApiExtra) -> ApiExtra:
    """Register extra fields of the dossier API's detail; usable as a decorator."""
    if provider not in _api_extras:
        _api_extras.append(provider)
    return provider


def api_extras_for(*, dossier: "Dossier", request: Any) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    for provider in list(_api_extras):
        extras.update(provider(dossier, request))
    return extras


# --- The fee people are shown --------------------------------------------------------
# provider(dossier) -> procedures.fees.Fee, or None when it knows nothing of the
# dossier (payments: the assessed fee, its exemption, a linked dossier's part).
FeeOf = Callable[["Dossier"], Fee | None]

_fee_providers: list[FeeOf] = []


def fee_provider(provider: FeeOf) -> FeeOf:
    """Register the provider of a dossier's fee; usable as a decorator."""
    if provider not in _fee_providers:
        _fee_providers.append(provider)
    return provider


def fee_of(*, dossier: "Dossier") -> Fee:
    """The fee the dossier's pages and API show (procedures.fees decides the
    text); without a provider's word, the dossier's recorded amount."""
    for provider in list(_fee_providers):
        fee = provider(dossier)
        if fee is not None:
            return fee
    return fee_shown(base_vnd=dossier.fee_vnd)
