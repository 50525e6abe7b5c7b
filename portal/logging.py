"""Logging that never writes a personal ID number or a phone number in clear, and
that carries the request id and dossier code of what is being done."""

import contextlib
import contextvars
import datetime
import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

# Runs of 9 to 12 digits cover personal ID numbers (12), old ID numbers (9),
# phone numbers written 0xxxxxxxxx (10) and social-insurance numbers (10);
# +84 phone numbers are caught with their prefix. Digits may be separated by
# spaces or dots (0912 345 678, 036.085.001.234). Dashes are not separators, so
# dates and dossier codes stay readable.
_SEP = r"[ .]?"
_NUMBER = re.compile(
    r"(?<!\d)(?:\+84" + _SEP + r")?\d(?:" + _SEP + r"\d){8,11}(?![\d]|\.\d)"
)
# Secrets passed as parameters or headers (token=..., password: ..., "Token abc...").
_SECRET_PARAM = re.compile(
    r"(?i)\b(token|authorization|sessionid|csrftoken|otp|password|secret|api_key)"
    r"(\s*[=:]\s*)(?:(?:Token|Bearer)\s+)?[^\s&,;\"']+"
)
_SECRET_VALUE = re.compile(r"\b(Token|Bearer)\s+[A-Za-z0-9._~+/=-]{16,}")

_context: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar(
    "log_context",
    default={},  # noqa: B039 - never mutated, replaced
)


def _mask(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    keep = set(digits[-3:])
    return "".join(
        "*" if (ch.isdigit() and i not in keep) or ch == "+" else ch
        for i, ch in enumerate(text)
    )


def mask_identifiers(text: str) -> str:
    """Replace every digit but the last 3 of each ID-like or phone-like number,
    and hide the value of anything that looks like a token or secret."""
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    text = _SECRET_VALUE.sub(lambda m: f"{m.group(1)} ***", text)
    return _NUMBER.sub(_mask, text)


@contextlib.contextmanager
def log_context(**values: str) -> Iterator[None]:
    """Add fields (request_id, dossier, task) to every log line in the block."""
    token = _context.set({**_context.get(), **values})
    try:
        yield
    finally:
        _context.reset(token)


def start_context(**values: str) -> None:
    """Replace the whole context (a new request or task starts)."""
    _context.set(dict(values))


def bind(**values: str) -> None:
    """Add fields to the current context until it ends (e.g. the dossier code
    once a view has found its dossier)."""
    _context.set({**_context.get(), **values})


def _record_factory(
    base: Callable[..., logging.LogRecord],
) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        for key, value in _context.get().items():
            setattr(record, key, value)
        return record

    return factory


def install_record_factory() -> None:
    """Every log record, whatever its handler (test capture included), carries the
    context fields. Called once when the project starts."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "_portal", False):
        factory = _record_factory(current)
        factory._portal = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)


class MaskingFormatter(logging.Formatter):
    """A text formatter whose whole output, traceback included, is masked."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = " ".join(
            f"{key}={value}" for key, value in _context_fields(record).items()
        )
        return mask_identifiers(f"{line} [{extra}]" if extra else line)


def _context_fields(record: logging.LogRecord) -> dict[str, str]:
    return {
        key: str(getattr(record, key))
        for key in ("request_id", "dossier", "task")
        if getattr(record, key, None)
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per line, masked, with the request id and dossier code."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(
                record.created, datetime.UTC
            ).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return mask_identifiers(json.dumps(entry, ensure_ascii=False))
