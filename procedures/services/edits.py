"""Edits to the catalogue made in the portal: saving a procedure (and its search
columns), adding a question people ask."""

from django.db import transaction

from ..models import (
    Faq,
    Procedure,
)
from ..text import codes_in, normalize


def procedure_set_search_columns(procedure: Procedure) -> None:
    """Fill the normalised columns that search reads (see procedures.text)."""
    words = [
        procedure.code,
        *codes_in(procedure.mapping_note),
        procedure.name,
        procedure.name_en,
        procedure.keywords.replace(",", " "),
    ]
    procedure.search_name = normalize(procedure.name)
    # Padded with spaces so that " word" finds a word start anywhere.
    procedure.search_text = f" {normalize(' '.join(words))} "


@transaction.atomic
def procedure_save(*, procedure: Procedure, edited_locally: bool = True) -> Procedure:
    """Save a procedure (the admin's path), keeping its search columns in step.

    An edit in the portal is remembered, so `load_catalogue` keeps it.
    """
    procedure_set_search_columns(procedure)
    procedure.locally_edited = edited_locally
    procedure.save()
    return procedure


@transaction.atomic
def faq_create(
    *,
    procedure: Procedure,
    question: str,
    answer: str,
    question_en: str = "",
    answer_en: str = "",
    source: str = "",
    order: int = 0,
    is_published: bool = True,
) -> Faq:
    """Add a question and its answer to the procedure's page (and /help/)."""
    faq = Faq(
        procedure=procedure,
        question=question,
        answer=answer,
        question_en=question_en,
        answer_en=answer_en,
        source=source,
        order=order,
        is_published=is_published,
    )
    faq.full_clean()
    faq.save()
    return faq
