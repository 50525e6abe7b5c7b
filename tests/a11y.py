"""A small accessibility check of rendered pages: headings, labels, images,
landmarks and language. Not a replacement for a browser audit, but it runs in
every test run."""

from html.parser import HTMLParser

FORM_CONTROLS = {"input", "select", "textarea"}
NOT_LABELLED = {"hidden", "submit", "button", "reset", "image"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.images: list[dict[str, str]] = []
        self.landmarks: set[str] = set()
        self.html_lang = ""
        self.ids: list[str] = []
        self._label_depth = 0
        self.wrapped: set[int] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang", "")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag in {"main", "nav", "header", "footer"}:
            self.landmarks.add(tag)
        if tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        if tag in FORM_CONTROLS and a.get("type", "") not in NOT_LABELLED:
            if self._label_depth:
                self.wrapped.add(len(self.controls))
            self.controls.append(a)
        if tag == "img":
            self.images.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1


def accessibility_problems(html: str) -> list[str]:
    page = _Collector()
    page.feed(html)
    problems = []
    if page.html_lang not in {"vi", "en"}:
        problems.append(f"html lang is {page.html_lang!r}")
    if page.headings.count(1) != 1:
        problems.append(f"{page.headings.count(1)} h1 headings")
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level jumps from h{before} to h{after}")
    for index, control in enumerate(page.controls):
        labelled = (
            index in page.wrapped
            or control.get("id", "") in page.label_for
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        if not labelled:
            problems.append(f"form control without a label: {control}")
    for image in page.images:
        if "alt" not in image:
            problems.append(f"image without alt: {image.get('src')}")
    if not {"main", "nav", "header", "footer"} <= page.landmarks:
        problems.append(f"landmarks missing: {page.landmarks}")
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    if duplicates:
        problems.append(f"duplicate ids: {sorted(duplicates)}")
    return problems
