"""Checks on files added to a dossier: the shared inspection (accounts/uploads.py:
type by content, active PDF content, image bombs, safe names) plus the dossier's
own caps on file size, total size and number of files. And how their files are
written: never a file without its row, even when the disk fills up."""

import errno
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from accounts.uploads import CheckedFile, inspect_upload, safe_name

__all__ = [
    "CheckedFile",
    "DiskFull",
    "check_upload",
    "file_store",
    "files_removed_on_failure",
    "safe_name",
]

P = ParamSpec("P")
R = TypeVar("R")


def check_upload(
    upload: UploadedFile[bytes], *, already_stored: int = 0, already_count: int = 0
) -> CheckedFile:
    """Validate one upload against a dossier holding `already_count` files of
    `already_stored` bytes. Raises ValidationError with a message the citizen can
    act on."""
    if already_count >= settings.DOSSIER_MAX_FILES:
        raise ValidationError(
            _("Hồ sơ đã có %(limit)d tệp, không thêm được nữa.")
            % {"limit": settings.DOSSIER_MAX_FILES},
            code="too_many_files",
        )
    size = upload.size or 0
    max_total = settings.DOSSIER_MAX_TOTAL_MB * 1024 * 1024
    if size and already_stored + size > max_total:
        raise ValidationError(
            _("Tổng dung lượng tệp của hồ sơ vượt quá %(limit)d MB.")
            % {"limit": settings.DOSSIER_MAX_TOTAL_MB},
            code="total_too_large",
        )
    return inspect_upload(
        upload,
        name=upload.name or "",
        size=size,
        max_bytes=settings.DOSSIER_MAX_FILE_MB * 1024 * 1024,
    )


# --- Writing files ------------------------------------------------------------------


class DiskFull(Exception):
    """The storage had no room for the file (ENOSPC, EDQUOT); nothing was kept."""


# Files written inside the innermost files_removed_on_failure() block.
_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar(
    "dossier_files_written", default=None
)


def file_store(field_file: FieldFile, name: str, content: File[Any]) -> None:
    """Write `content` as the file of `field_file` (the row is saved by the
    caller). A write that fails leaves nothing behind (Django's storage keeps the
    part written); a full disk raises DiskFull."""
    storage = field_file.storage
    target = field_file.field.generate_filename(field_file.instance, name)
    # Stored names are random: a name taken already is not ours to remove.
    existed = storage.exists(target)
    try:
        stored = storage.save(target, content, max_length=field_file.field.max_length)
    except OSError as exc:
        if not existed and storage.exists(target):
            storage.delete(target)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(str(exc)) from exc
        raise
    field_file.name = stored
    setattr(field_file.instance, field_file.field.attname, stored)
    field_file._committed = True  # type: ignore[attr-defined]
    written = _written.get()
    if written is not None:
        written.append((storage, stored))


@contextmanager
def _removed_on_failure() -> Iterator[None]:
    outer = _written.get()
    mine: list[tuple[Storage, str]] = []
    token = _written.set(mine)
    try:
        yield
    except BaseException:
        for storage, name in mine:
            storage.delete(name)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(mine)


def files_removed_on_failure(func: Callable[P, R]) -> Callable[P, R]:
    """A service that writes files and fails removes them again: its transaction
    rolled the rows back, so the files would belong to nothing. Put it outside
    `transaction.atomic`; an enclosing service takes over the files on success."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _removed_on_failure():
            return func(*args, **kwargs)

    return wrapper
