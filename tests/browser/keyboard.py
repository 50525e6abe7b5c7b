"""Driving a page with the keyboard only: Tab and Shift+Tab to a control by
its accessible name, then Enter, Space, arrow keys or typing.

Locators are used to *find* the target and to read values back, never to act
(no click, fill, check or select_option). Every control that takes focus on the
way must show a visible focus indicator (an outline or a box-shadow in its
computed style) and be inside the viewport once focused.
"""

from typing import Any

from playwright.sync_api import Locator, Page

# What the focused element looks like; whether it is the target.
FOCUS_STATE = """target => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) {
    return {target: false, nothing: true, describe: 'the page itself'};
  }
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const r = e.getBoundingClientRect();
  const visible = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
    && r.top < innerHeight && r.left < innerWidth;
  const name = (e.getAttribute('aria-label') || e.innerText || e.value
    || e.name || e.id || '').trim().slice(0, 60);
  return {
    target: e === target || (target.type === 'radio' && e.type === 'radio'
      && e.name === target.name && e.form === target.form),
    indicator: outline || !!shadow, visible, nothing: false,
    describe: `<${e.tagName.toLowerCase()}${e.type ? ' type=' + e.type : ''}`
      + `${e.name ? ' name=' + e.name : ''}> "${name}"`,
  };
}"""


class FocusError(AssertionError):
    pass


def focus_state(page: Page, target: Any) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(FOCUS_STATE, target)
    return state


def tab_to(page: Page, target: Locator, *, limit: int = 40, back: bool = False) -> int:
    """Press Tab (Shift+Tab with `back`) until `target` has focus, at most
    `limit` times; each control passed on the way must show its focus. The
    number of presses."""
    handle = target.element_handle()
    key = "Shift+Tab" if back else "Tab"
    passed = []
    if focus_state(page, handle)["target"]:
        return 0
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        state = focus_state(page, handle)
        # A mobile browser scrolls a focused field into view a moment later (up
        # to 3 s: under load the smooth scroll takes far more than 0.5 s).
        for _ in range(60):
            if state["nothing"] or state["visible"]:
                break
            page.wait_for_timeout(50)
            state = focus_state(page, handle)
        if not state["nothing"]:
            passed.append(state["describe"])
            if not state["indicator"]:
                raise FocusError(f"no visible focus indicator on {state['describe']}")
            if not state["visible"]:
                raise FocusError(f"focused but off screen: {state['describe']}")
        if state["target"]:
            return presses
    raise FocusError(
        f"{target} not reached in {limit} presses of {key}; passed: "
        + ", ".join(passed[-12:])
    )


def skip_to_main(page: Page) -> None:
    """The first Tab of a page reaches the skip link; Enter moves focus to the
    main content, so the next Tab is its first control."""
    # A page that focuses a field itself (autofocus): back up to the top.
    back = page.evaluate("() => document.activeElement !== document.body")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    activate(page, skip, limit=40 if back else 1, back=back)
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "main", f"the skip link left focus on #{focused}"


def activate(
    page: Page,
    target: Locator,
    *,
    key: str = "Enter",
    navigates: bool = False,
    **options: Any,
) -> None:
    """Tab to a link or button and press Enter (or Space). With `navigates`,
    wait for the page it leads to (a key press returns before the browser has
    even started the request, so `wait_for_load_state` alone would still see
    the old page)."""
    tab_to(page, target, **options)
    press(page, key, navigates=navigates)


def press(page: Page, key: str, *, navigates: bool = False) -> None:
    """Press `key` on whatever has focus; with `navigates`, until the next
    page has loaded."""
    if not navigates:
        page.keyboard.press(key)
        return
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(page: Page, target: Locator, text: str, **options: Any) -> None:
    """Tab to a text field, select what it holds, type over it."""
    tab_to(page, target, **options)
    page.keyboard.press("ControlOrMeta+A")
    if text:
        page.keyboard.type(text)
    else:
        page.keyboard.press("Delete")


# The order of a date field's day and month, per browser context.
_DAY_FIRST: dict[int, bool] = {}


def day_first(page: Page) -> bool:
    """Whether this browser shows a date field day first (dd/mm/yyyy, as a
    Vietnamese Chromium does) or month first (mm/dd/yyyy: the headless build
    lays date fields out by its own built-in locale, not by --lang). Found
    once per context by typing 01 02 2000 into a field on a blank page of its
    own, so the page under test keeps its focus."""
    key = id(page.context)
    if key not in _DAY_FIRST:
        probe = page.context.new_page()
        try:
            probe.set_content('<input type="date" aria-label="probe">')
            probe.keyboard.press("Tab")
            probe.keyboard.type("01022000")
            value = probe.get_by_label("probe").input_value()
        finally:
            probe.close()
        if value not in ("2000-02-01", "2000-01-02"):
            raise AssertionError(f"date field probe gave {value!r}")
        _DAY_FIRST[key] = value == "2000-02-01"
    return _DAY_FIRST[key]


def type_date(page: Page, target: Locator, iso: str, **options: Any) -> None:
    """A date field typed segment by segment in the order the browser shows
    it (Chromium moves to the next segment by itself)."""
    year, month, day = iso.split("-")
    first, second = (day, month) if day_first(page) else (month, day)
    tab_to(page, target, **options)
    page.keyboard.type(f"{first}{second}{year}")


def choose(page: Page, target: Locator, label: str, **options: Any) -> None:
    """Tab to a closed select and move to the option with arrow keys."""
    tab_to(page, target, **options)
    current, wanted = target.evaluate(
        """(e, label) => [e.selectedIndex, [...e.options].findIndex(
             o => o.value === label || o.text.trim() === label)]""",
        label,
    )
    if wanted < 0:
        raise AssertionError(f"no option {label!r} in {target}")
    step = "ArrowDown" if wanted > current else "ArrowUp"
    for _ in range(abs(wanted - current)):
        page.keyboard.press(step)


def pick_radio(page: Page, group: Locator, value: str, **options: Any) -> None:
    """Tab into a radio group, move with arrow keys to `value`, Space."""
    tab_to(page, group.first, **options)
    count = group.count()
    for _ in range(count + 1):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no radio {value!r} in {group}")
