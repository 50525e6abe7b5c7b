"""Listeners of dossier changes, registered by the apps above (chains, dashboards,
notifications) in their AppConfig.ready(), so that dossiers never imports them.

A listener runs inside the transaction that changed the dossier: it may write rows
(aggregates, chain state) that commit or roll back with the change, and it
schedules anything external with transaction.on_commit / delay_on_commit.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

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
