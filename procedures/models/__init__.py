"""The catalogue: procedures (single or linked), their papers and steps, guides,
questions people ask and announcements. Split by concept; import from
`procedures.models`."""

from .catalogue import (
    PROCEDURE_LONG_FIELDS,
    RESERVED_KEYS,
    SLUG_PATTERN,
    Field,
    LifeEvent,
    Procedure,
    localized,
)
from .choices import AgencyLevel, Kind, OnlineLevel, Verified
from .content import Announcement, Faq, Guide, GuideStep
from .papers import Document, LinkedStep
from .places import AnywhereInProvince

__all__ = [
    "PROCEDURE_LONG_FIELDS",
    "RESERVED_KEYS",
    "SLUG_PATTERN",
    "AgencyLevel",
    "Announcement",
    "AnywhereInProvince",
    "Document",
    "Faq",
    "Field",
    "Guide",
    "GuideStep",
    "Kind",
    "LifeEvent",
    "LinkedStep",
    "OnlineLevel",
    "Procedure",
    "Verified",
    "localized",
]
