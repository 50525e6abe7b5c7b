import functools
from typing import Any

from django.http import HttpRequest

from .selectors import BELL_MAX, bell_count


def bell(request: HttpRequest) -> dict[str, Any]:
    """The unread count of the bell in the header, counted (one query, up to
    BELL_MAX + 1) only when a page shows it to a signed-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}

    def shown() -> int | str:
        count = bell_count(user=user)
        return f"{BELL_MAX}+" if count > BELL_MAX else count

    return {"notifications_unread": functools.cache(shown)}
