"""What each step of a linked chain does, by concept (a package):

- base.py: a kind of step (`Kind`), what its call gets (`StepInput`) and gives
  (`Outcome`), the queue family of each agency type (`AGENCY_FAMILIES`);
- births.py, deaths.py: the calls of the two groups' steps;
- kinds.py: the kinds by key (`KINDS`), which member procedure each does
  (`kind_for`), the labels of the results' fields.

A member procedure of a linked group (procedures.LinkedStep) is done by a *kind*
of step: which agency's system it asks, with what request built from the group's
form data and the earlier steps' results, and what it passes on.
"""

from .base import AGENCY_FAMILIES, Kind, Outcome, StepInput
from .kinds import KINDS, PROCEDURE_KINDS, RESULT_LABELS, kind_for

__all__ = [
    "AGENCY_FAMILIES",
    "KINDS",
    "PROCEDURE_KINDS",
    "RESULT_LABELS",
    "Kind",
    "Outcome",
    "StepInput",
    "kind_for",
]
