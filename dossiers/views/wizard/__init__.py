"""The citizen's submission wizard: choose where to file, one page per section of
the procedure's form, the papers, a review, submit.

Every page saves the draft (as typed, so nothing is ever lost) before it checks
anything; the citizen can leave at any step and resume from "Hồ sơ của tôi".
The logic without HTTP lives in `dossiers.wizard`.

- start.py: the start page (where to file), resume, change the unit, delete
- sections.py: one page per section of the form, with the registry lookup
- papers.py: the attachments
- review.py: review, declaration and submit
"""

from .papers import draft_documents
from .review import draft_review
from .sections import draft_section
from .start import dossier_create, draft_delete, draft_resume, draft_unit

__all__ = [
    "dossier_create",
    "draft_delete",
    "draft_documents",
    "draft_resume",
    "draft_review",
    "draft_section",
    "draft_unit",
]
