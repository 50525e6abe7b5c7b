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
    AppraiseForm,
    DraftResultForm,
    ForwardForm,
    IssueResultForm,
    NoteForm,
    ReasonForm,
    ReceiveForm,
    RefuseForm,
    ReturnResultForm,
    SendBackForm,
    SignForm,
    StopForm,
    StopOnRequestForm,
    SubmitForSignatureForm,
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
    "AppraiseForm",
    "AssignForm",
    "CitizenCreateForm",
    "CitizenFindForm",
    "DraftResultForm",
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
    "SendBackForm",
    "SignForm",
    "StopForm",
    "StopOnRequestForm",
    "SubmitForSignatureForm",
    "SupplementRequestForm",
    "UnitChoiceField",
    "weekday_date",
]
