"""The layout's fragments, rendered once per language, role and text size and
kept in the process (docs/architecture.md "The layout's fragments", decision 330).

`{% layout_fragment "header" %}…{% end_layout_fragment %}` renders its content
the first time a key is met and pastes it afterwards. What differs per request
inside a fragment is written with the variables this tag gives (never read from
the context directly), which render as markers the first time and are replaced
by the request's own values each time:

- `{% csrf_token %}`: the request's token (and, as before, its cookie);
- `{{ layout_path }}` and `{{ layout_path_url }}`: the request's full path,
  HTML-escaped, and URL-quoted for a `?next=`;
- `{{ layout_user }}`: the signed-in person's name;
- `{{ layout_bell }}`: the notification bell (portal/_bell.html) with its count.

The key is the template and fragment, the language, the role (anonymous,
citizen, staff with or without the staff area), the large-text choice and the
script prefix. A change of settings (tests) empties the store; with the
template engine in debug mode (the development server) nothing is kept, so an
edited template shows at once. Markers hold NUL characters, which no request
can carry (portal/nulbytes.py) and no template writes.
"""

from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

CSRF = "\x00layout:csrf\x00"
PATH = "\x00layout:path\x00"
PATH_URL = "\x00layout:path-url\x00"
USER = "\x00layout:user\x00"
BELL = "\x00layout:bell\x00"

_MARKERS = {
    "csrf_token": mark_safe(CSRF),  # noqa: S308 - a constant marker
    "layout_path": mark_safe(PATH),  # noqa: S308
    "layout_path_url": mark_safe(PATH_URL),  # noqa: S308
    "layout_user": mark_safe(USER),  # noqa: S308
    "layout_bell": mark_safe(BELL),  # noqa: S308
}

# (template, fragment, language, role, large text, script prefix) -> markup.
_fragments: dict[tuple[str, ...], str] = {}
# `{% rendered_once_per %}`: the most recently used markups, a bounded number.
_memos: OrderedDict[tuple[Any, ...], str] = OrderedDict()
MEMO_SIZE = 256


@receiver(setting_changed)
def _forget(**_kwargs: Any) -> None:
    fragments_forget()


def fragments_forget() -> None:
    """Empty the store (after a deployment changes what a fragment shows
    without a restart; a restart empties it anyway)."""
    _fragments.clear()
    _memos.clear()


def role_of(user: Any) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    staff_area = user.has_perm("accounts.access_staff_area")
    kind = "citizen" if getattr(user, "is_citizen", False) else "person"
    return f"{kind}{'+staff' if staff_area else ''}"


def _bell(context: template.Context) -> str:
    unread = context.get("notifications_unread", 0)
    count = unread() if callable(unread) else unread
    return get_template("portal/_bell.html").render({"unread": count})


def _debug(context: template.Context) -> bool:
    """The template engine in debug mode: nothing is kept."""
    return context.template is None or bool(context.template.engine.debug)


def _fill(markup: str, context: template.Context) -> str:
    request = context.get("request")
    path = request.get_full_path() if request is not None else ""
    values: dict[str, Callable[[], str]] = {
        CSRF: lambda: escape(str(context.get("csrf_token", ""))),
        PATH: lambda: escape(path),
        PATH_URL: lambda: escape(quote(path, safe="/")),
        USER: lambda: escape(str(context.get("user", ""))),
        BELL: lambda: _bell(context),
    }
    for marker, value in values.items():
        if marker in markup:
            markup = markup.replace(marker, value())
    return markup


class LayoutFragmentNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        key = (
            str(self.origin.name),
            self.name,
            get_language() or "",
            role_of(context.get("user")),
            "large" if context.get("large_text") else "normal",
            get_script_prefix(),
        )
        markup = _fragments.get(key)
        if markup is None:
            with context.push(**_MARKERS):
                markup = self.nodelist.render(context)
            if not _debug(context):
                _fragments[key] = markup
        return mark_safe(_fill(markup, context))  # noqa: S308 - values escaped in _fill


@register.tag("layout_fragment")
def layout_fragment(parser: template.base.Parser, token: template.base.Token) -> Any:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f'{bits[0]} takes one quoted name: {{% {bits[0]} "header" %}}'
        )
    nodelist = parser.parse(("end_layout_fragment",))
    parser.delete_first_token()
    return LayoutFragmentNode(bits[1][1:-1], nodelist)


class RenderedOncePerNode(template.Node):
    def __init__(
        self, key: template.base.FilterExpression, nodelist: template.NodeList
    ) -> None:
        self.key = key
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        key = (
            str(self.origin.name),
            self.token.position if self.token else None,
            get_language() or "",
            get_script_prefix(),
            self.key.resolve(context),
        )
        markup = _memos.get(key)
        if markup is not None:
            _memos.move_to_end(key)
            return mark_safe(markup)  # noqa: S308 - rendered by the template
        markup = self.nodelist.render(context)
        if not _debug(context):
            _memos[key] = markup
            if len(_memos) > MEMO_SIZE:
                _memos.popitem(last=False)
        return mark_safe(markup)  # noqa: S308


@register.tag("rendered_once_per")
def rendered_once_per(parser: template.base.Parser, token: template.base.Token) -> Any:
    """`{% rendered_once_per form.rendering_key %}…{% end_rendered_once_per %}`:
    a block whose markup depends only on the key (hashable) and the language,
    kept for the next request with the same key (a bounded number, the least
    recently used forgotten first). For a GET form's fields, whose choice lists
    and options cost more to render than anything else on the officer's queue;
    never for markup with a CSRF token or anything of the person."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one key")
    nodelist = parser.parse(("end_rendered_once_per",))
    parser.delete_first_token()
    return RenderedOncePerNode(parser.compile_filter(bits[1]), nodelist)
