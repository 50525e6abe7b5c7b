"""Large text and 200 % zoom on the pages the journeys visit, on a phone and on
a desktop.

Each page is measured in four ways: the phone (360 px) and the desktop
(1280 px) with the root font size at 200 % (what a reader's "largest text"
setting does to rem-sized pages), and both at 200 % zoom, which lays the page
out in half as many CSS pixels (180 px and 640 px wide). In each: the page
itself never scrolls sideways (wide tables scroll in their own focusable box),
the page's main action is on screen horizontally and is the element found at
its own centre once scrolled to, and no element that hides its overflow cuts
its own text.
"""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from procedures.models import Procedure

from .conftest import DESKTOP, PHONE
from .journeys import BIRTH, birth_registration, citizen_login

pytestmark = pytest.mark.services("postgres", "redis", "worker")

MEASURE = """action => {
  const root = document.scrollingElement;
  const problems = [];
  if (root.scrollWidth > root.clientWidth + 1) {
    const wide = [...document.querySelectorAll('body *')].filter(e => {
      const r = e.getBoundingClientRect();
      return r.right > root.clientWidth + 1 && r.width > 0
        && !e.closest('.table-responsive, .visually-hidden-focusable');
    }).slice(0, 4).map(e => e.outerHTML.slice(0, 120));
    problems.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}; `
      + wide.join(' | '));
  }
  const target = document.querySelector(action);
  if (!target) {
    problems.push(`no main action ${action}`);
  } else {
    target.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
    const r = target.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) problems.push(`${action} not shown`);
    else if (r.left < -1 || r.right > root.clientWidth + 1) {
      problems.push(`${action} outside the screen: ${r.left}..${r.right}`);
    } else {
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !(target === hit || target.contains(hit) || hit.contains(target)
          || (target.labels && [...target.labels].includes(hit)))) {
        problems.push(`${action} covered by ${hit && hit.outerHTML.slice(0, 80)}`);
      }
    }
  }
  for (const e of document.querySelectorAll('body *')) {
    const s = getComputedStyle(e);
    const hides = [s.overflowX, s.overflowY].some(v => v === 'hidden' || v === 'clip');
    if (!hides || s.display === 'none' || s.visibility === 'hidden') continue;
    if (e.closest('.visually-hidden, .visually-hidden-focusable, [hidden]')) continue;
    if (e.clientWidth < 2 || e.clientHeight < 2) continue;
    const ownText = [...e.childNodes].some(
      n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!ownText) continue;
    if (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1) {
      problems.push(`text cut in ${e.outerHTML.slice(0, 120)}`);
    }
  }
  return problems;
}"""


def modes(base: dict[str, int]) -> list[tuple[str, dict[str, int], str]]:
    """(name, viewport, root font size) for large text and 200 % zoom."""
    half = {"width": base["width"] // 2, "height": base["height"] // 2}
    return [
        ("large text", base, "200%"),
        ("zoom 200 %", half, ""),
    ]


def check_page(page: Page, label: str, action: str, base: dict[str, int]) -> list[str]:
    """Every problem on the current page, in every mode, with where it is."""
    page.wait_for_load_state("load")  # its stylesheets applied
    found = []
    for mode, viewport, font in modes(base):
        page.set_viewport_size(
            ViewportSize(width=viewport["width"], height=viewport["height"])
        )
        page.evaluate("size => document.documentElement.style.fontSize = size", font)
        for problem in page.evaluate(MEASURE, action):
            found.append(f"{label}, {mode} ({viewport['width']} px): {problem}")
    page.evaluate("() => document.documentElement.style.fontSize = ''")
    page.set_viewport_size(ViewportSize(width=base["width"], height=base["height"]))
    return found


def visit(
    page: Page, url: str, label: str, action: str, base: dict[str, int]
) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    return check_page(page, label, action, base)


@pytest.fixture
def dossier() -> Any:
    return birth_registration()


def test_large_text_and_zoom_keep_pages_usable(chromium, server, auditor, dossier):
    from .conftest import new_page

    problems: list[str] = []
    procedure = Procedure.objects.get(code=BIRTH)
    for base in (PHONE, DESKTOP):
        page = new_page(chromium, viewport=base)
        try:
            size = "phone" if base is PHONE else "desktop"

            def at(
                url: str, label: str, action: str, page=page, size=size, base=base
            ) -> None:
                problems.extend(visit(page, url, f"{size} {label}", action, base))

            at(f"{server}/", "home", "main input[type=search], main input[name=q]")
            at(f"{server}/track/", "tracking", "main button, main input")
            citizen_login(page, server, auditor)
            at(
                f"{server}/procedures/?q=dang+ky+khai+sinh",
                "catalogue search",
                "main input[name=q]",
            )
            at(
                f"{server}{procedure.get_absolute_url()}",
                "procedure",
                "main a.btn-primary",
            )
            at(
                f"{server}/dossiers/new/{BIRTH}/",
                "start a dossier",
                "main button[type=submit]",
            )
            page.get_by_role("button", name="Bắt đầu khai").click()
            expect(page).to_have_url(re.compile("/form/"))
            # The address changes before the page's stylesheets are in: measured
            # then, under CI's load, a fieldset had the browser's default widths.
            page.wait_for_load_state("load")
            problems.extend(
                check_page(
                    page, f"{size} form section", ".wizard-actions .btn-primary", base
                )
            )
            draft = re.sub(r"form/.*$", "", page.url)
            at(f"{draft}documents/", "papers", ".wizard-actions .btn-primary")
            at(f"{server}/dossiers/mine/", "my dossiers", "main a[href*='/dossiers/']")
            at(
                f"{server}/dossiers/{dossier.code}/",
                "dossier",
                "main .dossier-code, main h1",
            )
        finally:
            page.context.close()

    assert not problems, "\n".join(problems)


def test_large_text_and_zoom_keep_staff_pages_usable(
    chromium, server, auditor, dossier
):
    """The officer's queue (a wide table) and the district's dashboard (charts
    and wide tables), on a desktop and on a phone."""
    from .conftest import new_page
    from .journeys import staff_login

    problems: list[str] = []
    for base in (DESKTOP, PHONE):
        size = "phone" if base is PHONE else "desktop"
        for username, url, label, action in (
            (
                "motcua.xavuban",
                f"{server}/staff/dossiers/",
                "officer queue",
                "main .queue-filters button[type=submit]",
            ),
            (
                "thongke.vuban",
                f"{server}/stats/",
                "dashboard",
                "main form.stats-filters [type=submit]",
            ),
        ):
            page = new_page(chromium, viewport=base)
            try:
                staff_login(page, server, auditor, username)
                problems.extend(visit(page, url, f"{size} {label}", action, base))
            finally:
                page.context.close()

    assert not problems, "\n".join(problems)
