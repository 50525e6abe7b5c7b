"""What every page of the wizard shares."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import User

from ... import wizard
from ...models import Dossier, Draft
from ...selectors import draft_get_for_user
from ...services import LINKED_IDENTITY_LEVEL


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by citizen_required
    return user


def identity_page(request: HttpRequest, user: User) -> HttpResponse:
    """What `identity_level_required(2)` shows, for a linked procedure."""
    return render(
        request,
        "accounts/identity_level_required.html",
        {
            "required_level": LINKED_IDENTITY_LEVEL,
            "current_level": user.identity_level,
        },
        status=403,
    )


def submitted_draft(user: User, pk: int) -> Dossier | None:
    """The dossier a draft became (a repeated "Submit" finds it)."""
    return Dossier.objects.filter(applicant=user, idempotency_key=f"draft-{pk}").first()


def draft_of(request: HttpRequest, pk: int) -> Draft:
    return draft_get_for_user(user=request.user, pk=pk)


def step_context(draft: Draft, steps: list[wizard.Step], key: str) -> dict[str, Any]:
    index = wizard.step_index(steps, key)
    return {
        "draft": draft,
        "procedure": draft.procedure,
        "steps": steps,
        "step": steps[index],
        "step_number": index + 1,
        "previous": steps[index - 1] if index > 0 else None,
    }


def step_after(steps: list[wizard.Step], key: str) -> wizard.Step:
    return steps[min(wizard.step_index(steps, key) + 1, len(steps) - 1)]


def step_before(steps: list[wizard.Step], key: str) -> wizard.Step:
    return steps[max(wizard.step_index(steps, key) - 1, 0)]


def saved(request: HttpRequest) -> HttpResponse:
    messages.success(
        request,
        _("Đã lưu hồ sơ đang soạn. Bạn có thể làm tiếp bất cứ lúc nào ở đây."),
    )
    return redirect("dossiers:dossier-mine")
