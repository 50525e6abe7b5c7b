"""Writes to the registers: a number taken for a dossier's result, a book closed.

The guarantee (docs/registers.md): within one book the numbers run 1, 2, 3...
without a gap or a duplicate, whatever issues run at once. `register_entry_take`
locks the book's row (SELECT ... FOR UPDATE) and writes the entry in the caller's
transaction, the issue's: a concurrent issue waits for the lock until that
transaction ends, and an issue that rolls back takes its number back with it.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .kinds import register_kind_for
from .models import Register, RegisterEntry

if TYPE_CHECKING:
    from accounts.models import User
    from dossiers.models import Dossier, Result
    from units.models import OrgUnit


class RegisterError(Exception):
    """A register refused the change; the message is for the officer."""


def _open_book_locked(
    *, unit: "OrgUnit", kind: str, year: int, now: datetime.datetime
) -> Register:
    """The open book of `unit`'s register of `kind` for `year`, locked until the
    transaction ends; opened (the next book after the last closed one) when
    there is none. Two first issues of a year may both try to open it: the
    database lets one (register_one_open_book), the other waits, then locks it."""
    # Lock the register's row only: its default ordering joins the agency and its
    # area, and FOR UPDATE without OF would lock those rows too, which every new
    # dossier of the area checks its foreign key against (a deadlock).
    open_books = (
        Register.objects.select_for_update(of=("self",))
        .filter(unit=unit, kind=kind, year=year, closed_at__isnull=True)
        .order_by("pk")
    )
    book = open_books.first()
    if book is not None:
        return book
    last = (
        Register.objects.filter(unit=unit, kind=kind, year=year)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            Register.objects.create(
                unit=unit,
                kind=kind,
                year=year,
                sequence=(last or 0) + 1,
                opened_at=now,
            )
    except IntegrityError:
        pass  # Another issue opened it first; its transaction has committed.
    return open_books.get()


def subject_of(dossier: "Dossier") -> str:
    """The person the result is about, as the register records them: the child,
    the deceased, the person named in the form, else the applicant."""
    data: dict[str, Any] = dossier.data if isinstance(dossier.data, dict) else {}
    for key in ("child", "deceased", "person"):
        person = data.get(key)
        if isinstance(person, dict) and person.get("full_name"):
            return str(person["full_name"])[:255]
    name = data.get("full_name")
    if isinstance(name, str) and name.strip():
        return name.strip()[:255]
    return dossier.applicant.full_name[:255]


def register_entry_take(
    *,
    dossier: "Dossier",
    unit: "OrgUnit",
    title: str,
    actor: "User | None" = None,
    kind: str = "",
    subject: str = "",
    now: datetime.datetime | None = None,
) -> RegisterEntry:
    """The number of `dossier`'s result in `unit`'s register of `kind` (by
    default the one its procedure's results go to), in the open book of the
    year of `now` (local time), for `subject` (by default read from the
    dossier). Must run inside the issue's transaction. A dossier has one entry:
    asked again, the same entry."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register_entry_take runs inside the issue's transaction")
    existing = (
        RegisterEntry.objects.select_related("register").filter(dossier=dossier).first()
    )
    if existing is not None:
        return existing
    now = now or timezone.now()
    kind = kind or register_kind_for(dossier.procedure)
    book = _open_book_locked(
        unit=unit, kind=kind, year=timezone.localdate(now).year, now=now
    )
    book.last_number += 1
    book.save(update_fields=["last_number"])
    return RegisterEntry.objects.create(
        register=book,
        number=book.last_number,
        dossier=dossier,
        title=title[:255],
        subject=subject[:255] or subject_of(dossier),
        entered_at=now,
        entered_by=actor,
    )


def result_numbered(result: "Result", take: bool) -> None:
    """dossiers' hook: `result` numbered in its issuing agency's register (or,
    with `take` False, by the entry its dossier already has)."""
    if take:
        entry: RegisterEntry | None = register_entry_take(
            dossier=result.dossier,
            unit=result.issued_by_unit,
            title=result.title,
            actor=result.issued_by if result.issued_by.is_active else None,
            now=result.issued_at,
        )
    else:
        entry = (
            RegisterEntry.objects.select_related("register")
            .filter(dossier=result.dossier)
            .first()
        )
    if entry is None:
        return
    # Printed on an official paper: in Vietnamese whoever issues it.
    with translation.override("vi"):
        result.register = str(entry.register.get_kind_display())
    result.book = entry.register.book
    result.number = str(entry.number)
    result.save(update_fields=["register", "book", "number"])


@transaction.atomic
def register_book_close(
    *, register: Register, actor: "User", now: datetime.datetime | None = None
) -> Register:
    """Close an open book (full, or a new book the agency decided): the next
    result of its kind and year opens the next book, numbered from 1."""
    locked = Register.objects.select_for_update().get(pk=register.pk)
    if locked.closed_at is not None:
        raise RegisterError(_("Quyển sổ này đã khóa."))
    locked.closed_at = now or timezone.now()
    locked.closed_by = actor
    locked.save(update_fields=["closed_at", "closed_by"])
    return locked
