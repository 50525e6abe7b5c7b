"""Text normalisation shared by search, the stored search columns and the tests.

One normaliser, in Python, feeds both the stored columns and the queries, so
SQLite and PostgreSQL compare the same ASCII text and return the same results.
"""

import re
import unicodedata

# A national procedure code (mã TTHC), e.g. 1.001193 (identifiers.md).
CODE_PATTERN = r"^[0-9]\.[0-9]{6}$"
CODE_RE = re.compile(r"\b[0-9]\.[0-9]{6}\b")

_NOT_WORD = re.compile(r"[^a-z0-9.]+")
_DOTS = re.compile(r"(?<![0-9])\.|\.(?![0-9])")


def normalize(text: str) -> str:
    """Lower case, no diacritics, đ → d, words separated by one space.

    "ĐĂNG KÝ Khai sinh" and "dang ky khai sinh" both give "dang ky khai sinh".
    Dots survive only between digits, so codes like 1.001193 stay whole.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NOT_WORD.sub(" ", stripped.lower())
    return " ".join(_DOTS.sub(" ", words).split())


def codes_in(text: str) -> list[str]:
    """The national procedure codes written in `text`, in order, without repeats."""
    return list(dict.fromkeys(CODE_RE.findall(text or "")))
