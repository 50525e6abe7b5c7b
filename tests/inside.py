"""The inside of the software, which people must never read on a page (issue 15):
the "UNVERIFIED" marker and the file names of the project's reference data, the
codes of a dossier's actions, and (where asked) raw web addresses. Used by the
page tests and the browser journeys, on what a person sees: the text of the
page and the attributes read aloud or shown on hover."""

import re
from html.parser import HTMLParser

from dossiers.history import ACTION_LABELS
from dossiers.lifecycle import TRANSITIONS

ACTION_CODES = sorted(set(ACTION_LABELS) | set(TRANSITIONS), key=len, reverse=True)
_CODES = "|".join(map(re.escape, ACTION_CODES))

PATTERNS = {
    "UNVERIFIED": re.compile(r"\bUNVERIFIED\b"),
    "file name": re.compile(r"[\w.-]+\.(?:md|csv|py)\b"),
    "reference path": re.compile(r"\.\./shared|\breference/|\bshared/reference"),
    "action code": re.compile(rf"\b(?:{_CODES})\b"),
}
ADDRESS = re.compile(r"\bhttps?://\S+")

_SHOWN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}
_HIDDEN_TAGS = {"script", "style", "template", "noscript"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        self.parts.extend(v for k, v in attrs if k in _SHOWN_ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def inside_of_the_software(text: str, *, addresses: bool = False) -> list[str]:
    """What `text` (a page's visible text, a PDF's, an API's human field) shows
    of the inside, each with its surroundings; empty when nothing."""
    patterns = dict(PATTERNS)
    if addresses:
        patterns["address"] = ADDRESS
    found = []
    for kind, pattern in patterns.items():
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 20]
            found.append(f"{kind}: {match.group(0)!r} in …{around}…")
    return found
