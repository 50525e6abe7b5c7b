"""Staff looking up a citizen of their area; every look is written to the
citizen's data-access log."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..decorators import staff_required
from ..forms import CitizenLookupForm, StaffAccessForm
from ..models import User
from ..selectors import (
    citizen_get_for_staff,
    citizens_for_staff,
    household_members_for,
    profile_for,
)
from ..services import data_access_record


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by staff_required
    return user


@staff_required
@never_cache
@require_GET
def citizen_lookup(request: HttpRequest) -> HttpResponse:
    """Find a citizen of the officer's area by personal ID number, with a reason."""
    form = CitizenLookupForm(request.GET or None)
    not_found = False
    if form.is_valid():
        citizen = (
            citizens_for_staff(staff=_staff(request))
            .filter(username=form.cleaned_data["personal_id"])
            .first()
        )
        if citizen is not None:
            query = urlencode({"context": form.cleaned_data["context"]})
            url = reverse("accounts:citizen-detail", kwargs={"pk": citizen.pk})
            return redirect(f"{url}?{query}")
        not_found = True
    return render(
        request,
        "accounts/citizen_lookup.html",
        {"form": form, "not_found": not_found},
        status=404 if not_found else 200,
    )


@staff_required
@never_cache
@require_GET
def citizen_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A citizen's profile for an officer of their area, with the reason logged."""
    staff = _staff(request)
    citizen = citizen_get_for_staff(staff=staff, pk=pk)
    form = StaffAccessForm(request.GET or None)
    if not form.is_valid():
        # No reason given: ask for it before showing anything.
        return render(
            request,
            "accounts/citizen_access_reason.html",
            {"form": form, "citizen_pk": citizen.pk},
        )
    data_access_record(
        staff=staff,
        citizen=citizen,
        # Stored in the source language; shown translated (account_home.html).
        obj_label=gettext_noop("Hồ sơ cá nhân"),
        context=form.cleaned_data["context"],
    )
    return render(
        request,
        "accounts/citizen_detail.html",
        {
            "citizen": citizen,
            "profile": profile_for(user=citizen),
            "members": household_members_for(user=citizen),
            "context": form.cleaned_data["context"],
        },
    )
