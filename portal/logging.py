"""Logging that never writes a personal ID number or a phone number in clear."""

import logging
import re

# Runs of 9 to 12 digits cover personal ID numbers (12), old ID numbers (9),
# phone numbers written 0xxxxxxxxx (10) and social-insurance numbers (10);
# +84 phone numbers are caught with their prefix. Digits may be separated by
# spaces or dots (0912 345 678, 036.085.001.234). Dashes are not separators, so
# dates and dossier codes stay readable.
_SEP = r"[ .]?"
_NUMBER = re.compile(
    r"(?<!\d)(?:\+84" + _SEP + r")?\d(?:" + _SEP + r"\d){8,11}(?![\d]|\.\d)"
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
    """Replace every digit but the last 3 of each ID-like or phone-like number."""
    return _NUMBER.sub(_mask, text)


class MaskingFormatter(logging.Formatter):
    """A formatter whose whole output, traceback included, is masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_identifiers(super().format(record))
