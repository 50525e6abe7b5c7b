"""How the apps above dossiers take part in a dossier's life without dossiers
importing them (payments, chains, notifications, dashboards register in their
AppConfig.ready()). Three kinds of hook, in the order a transition meets them:

1. Guards (`guard`), asked by `transition_check` BEFORE any row or event is
   written. A guard refuses by raising the services' own errors
   (`dossiers.services.ActionNotAllowed`, `IllegalTransition`...), so the pages
   and the API answer as for any refusal; it writes nothing.
2. Listeners (`on_transition`), told by `transition_done` AFTER the change, inside
   its transaction. They may write their own rows (counts, chain state) and
   schedule work after commit (notifications, a step's task); they never refuse
   and never start a transition: while they run, any transition raises
   `ListenerStartedTransition`, always (not only in tests).
3. Follow-ons (`follow_on`): what another app does next because of a change, and
   which may itself move dossiers (payments asks for the fee at receipt; chains
   receives a linked dossier, opens its next part, halts or cancels its steps).
   They run only where a service calls `follow_ons(...)` after its transition,
   visibly, as its last line; a follow-on point is named by the event's action.
   The service returns the dossier as the follow-ons left it.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procedures.fees import Fee, fee_shown

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

    from .models import Dossier, Event, Result


# --- Guards -------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposed:
    """A transition about to happen: `dossier` is the locked row as it is before
    the change; `details` what its event will carry."""

    dossier: "Dossier"
    action: str
    actor: "User | None"
    origin: str
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)


Guard = Callable[[Proposed], None]

_guards: list[Guard] = []


def guard(check: Guard) -> Guard:
    """Register `check(proposed)`, which raises to refuse; usable as a decorator."""
    if check not in _guards:
        _guards.append(check)
    return check


def transition_check(proposed: Proposed) -> None:
    """Ask every guard; the first refusal propagates. Nothing is written yet."""
    for check in list(_guards):
        check(proposed)


# --- Listeners ----------------------------------------------------------------------

Listener = Callable[["Dossier", "Event"], None]

_listeners: list[Listener] = []


class ListenerStartedTransition(RuntimeError):
    """A listener tried to move a dossier: listeners are told, they do not act.
    What must follow a change is a follow-on, called by the service."""


_state = threading.local()


def _telling() -> str:
    return str(getattr(_state, "listener", ""))


def on_transition(listener: Listener) -> Listener:
    """Register `listener(dossier, event)`; usable as a decorator."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


@contextmanager
def _listening(listener: Listener) -> Iterator[None]:
    outer = _telling()
    _state.listener = f"{listener.__module__}.{listener.__qualname__}"
    try:
        yield
    finally:
        _state.listener = outer


def transition_allowed() -> None:
    """Raise `ListenerStartedTransition` when called while a listener runs (every
    transition, submission and opening of a part calls it first)."""
    name = _telling()
    if name:
        raise ListenerStartedTransition(
            f"{name} started a dossier transition: a listener may not; make it a "
            "follow-on (dossiers.hooks.follow_on) called by the service"
        )


def transition_done(*, dossier: "Dossier", event: "Event") -> None:
    for listener in list(_listeners):
        with _listening(listener):
            listener(dossier, event)


# --- Follow-ons ---------------------------------------------------------------------

# follow_on(dossier, event) -> the dossier as it left it, or None when it did
# nothing to it.
FollowOn = Callable[["Dossier", "Event"], "Dossier | None"]

# The follow-on points: the actions whose service calls `follow_ons` as its last
# line (dossier_submit, dossier_receive, dossier_request_supplement,
# dossier_supplement, dossier_refuse, dossier_stop (also on request),
# dossier_withdraw). Another
# action has no point until its service calls it: registering one is an error,
# not a silence.
FOLLOW_ON_POINTS = frozenset(
    {
        "submit",
        "receive",
        "request_supplement",
        "supplement",
        "refuse",
        "stop",
        "stop_on_request",
        "withdraw",
    }
)

_follow_ons: dict[str, list[FollowOn]] = {}


def follow_on(action: str) -> Callable[[FollowOn], FollowOn]:
    """Register what follows an event of `action` (a decorator)."""
    if action not in FOLLOW_ON_POINTS:
        raise ValueError(f"no dossier service offers a follow-on after {action!r}")

    def register(fn: FollowOn) -> FollowOn:
        registered = _follow_ons.setdefault(action, [])
        if fn not in registered:
            registered.append(fn)
        return fn

    return register


def follow_ons(*, dossier: "Dossier", event: "Event") -> "Dossier":
    """Run what the apps above do after `event` (in their registration order);
    called by the service that made the change, after its listeners. Returns the
    dossier as they left it."""
    for fn in list(_follow_ons.get(event.action, ())):
        dossier = fn(dossier, event) or dossier
    return dossier


def forget(fn: Any) -> None:
    """Unregister `fn` from the guards, the listeners and the follow-ons (a test's
    temporary hook)."""
    registries: list[list[Any]] = [_guards, _listeners, *_follow_ons.values()]
    for registry in registries:
        while fn in registry:
            registry.remove(fn)


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


# --- The result's number in its agency's register -----------------------------------
# numberer(result, take) -> None gives `result` its register, book and number and
# saves them (registers: the issuing agency's result register, its row locked
# until the transaction ends, so an issue rolled back leaves no gap). With
# take False it only copies the entry the dossier already has: a result recorded
# from another agency's system is numbered by the app that asked that system.
ResultNumberer = Callable[["Result", bool], None]

_result_numberers: list[ResultNumberer] = []


def result_numberer(numberer: ResultNumberer) -> ResultNumberer:
    """Register the numberer of results; usable as a decorator."""
    if numberer not in _result_numberers:
        _result_numberers.append(numberer)
    return numberer


def result_number(*, result: "Result", take: bool = True) -> None:
    """Number `result` in its register, before its document is made and signed."""
    for numberer in list(_result_numberers):
        numberer(result, take)


# --- Papers kept elsewhere --------------------------------------------------------
# provider(dossier) -> the document keys of the dossier's papers kept outside this
# portal, by reference (national: a dossier pushed by the national portal names
# papers of the citizen's store there). They count as attached when the form is
# checked again (a correction of the data).
PapersElsewhere = Callable[["Dossier"], list[str]]

_papers_providers: list[PapersElsewhere] = []


def papers_provider(provider: PapersElsewhere) -> PapersElsewhere:
    """Register a provider of papers kept by reference; usable as a decorator."""
    if provider not in _papers_providers:
        _papers_providers.append(provider)
    return provider


def papers_elsewhere(*, dossier: "Dossier") -> list[str]:
    keys: list[str] = []
    for provider in list(_papers_providers):
        keys += provider(dossier)
    return keys


# --- Another store of the citizen's papers ---------------------------------------
# The wizard's papers step offers, with the citizen's consent, the papers of a
# store outside this portal (national: the citizen's e-document store on the
# national portal). `papers(user)` lists them as (reference, label), None when the
# store is not connected; `connected()` says whether to offer it at all (before
# the consent, nothing is asked of it); `take(user, reference)` keeps
# the paper in the citizen's local store and returns that StoredDocument (the
# same one for the same reference). Both raise `dossiers.services.DossierError`
# with a message for the citizen when the store cannot answer.


@dataclass(frozen=True)
class PaperStore:
    connected: Callable[[], bool]
    papers: Callable[["User"], list[tuple[str, str]] | None]
    take: Callable[["User", str], Any]


_paper_stores: list[PaperStore] = []


def paper_store(store: PaperStore) -> PaperStore:
    """Register another store of the citizen's papers."""
    if store not in _paper_stores:
        _paper_stores.append(store)
    return store


def paper_store_of() -> PaperStore | None:
    """The registered store, if any (one: the national portal's)."""
    return _paper_stores[0] if _paper_stores else None
