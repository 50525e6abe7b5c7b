"""The catalogue: procedures (single or linked), their papers and steps, guides
and announcements. Split by concept; import from `procedures.models`."""

from .catalogue import (
    RESERVED_KEYS,
    SLUG_PATTERN,
    Document,
    Field,
    LifeEvent,
    LinkedStep,
    Procedure,
    localized,
)
from .choices import AgencyLevel, Kind, OnlineLevel, Verified
from .content import Announcement, Guide, GuideStep

__all__ = [
    "RESERVED_KEYS",
    "SLUG_PATTERN",
    "AgencyLevel",
    "Announcement",
    "Document",
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
