"""Forms of the officer pages: the queue's filters, one small form per action,
counter filing and the appointment calculator. They check the shape of input;
the services decide.

- fields.py: procedures, units and officers to choose, the date widget
- queue.py: the queue's filters and assignment
- actions.py: one form per action on a dossier
- counter.py: counter filing
- calculator.py: the appointment calculator
"""

from .actions import (
    APOLOGY_CHOICES,
    ActionForm,
    ApologizeForm,
    ApproveForm,
    ForwardForm,
    IssueResultForm,
    NoteForm,
    ReasonForm,
    ReceiveForm,
    RefuseForm,
    ReturnResultForm,
    StopForm,
    StopOnRequestForm,
    SupplementRequestForm,
    weekday_date,
)
from .calculator import DueCalculatorForm
from .counter import (
    CitizenCreateForm,
    CitizenFindForm,
    MultipleFileField,
    MultipleFileInput,
    PhoneCodeForm,
    ProcedureChooseForm,
    ScansForm,
)
from .fields import (
    DATE_WIDGET,
    OfficerChoiceField,
    OfficerSelect,
    ProcedureChoiceField,
    UnitChoiceField,
)
from .queue import AssignForm, QueueFilterForm

__all__ = [
    "APOLOGY_CHOICES",
    "DATE_WIDGET",
    "ActionForm",
    "ApologizeForm",
    "ApproveForm",
    "AssignForm",
    "CitizenCreateForm",
    "CitizenFindForm",
    "DueCalculatorForm",
    "ForwardForm",
    "IssueResultForm",
    "MultipleFileField",
    "MultipleFileInput",
    "NoteForm",
    "OfficerChoiceField",
    "OfficerSelect",
    "PhoneCodeForm",
    "ProcedureChoiceField",
    "ProcedureChooseForm",
    "QueueFilterForm",
    "ReasonForm",
    "ReceiveForm",
    "RefuseForm",
    "ReturnResultForm",
    "ScansForm",
    "StopForm",
    "StopOnRequestForm",
    "SupplementRequestForm",
    "UnitChoiceField",
    "weekday_date",
]
