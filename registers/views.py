from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import staff_required
from accounts.models import User

from .forms import RegisterSearchForm
from .selectors import register_entries_for_officer

PAGE_SIZE = 25


@staff_required
@never_cache
@require_GET
def register_search(request: HttpRequest) -> HttpResponse:
    """The officer's own agency's register entries, searched by number, name or
    dossier code, by year and kind. Other agencies' entries are never listed."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by staff_required
    if not user.has_perm("registers.search_registers"):
        raise PermissionDenied
    form = RegisterSearchForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    criteria = form.cleaned_data if form.is_bound and valid else {}
    entries = register_entries_for_officer(
        user=user,
        query=criteria.get("q") or "",
        year=criteria.get("year"),
        kind=criteria.get("kind") or "",
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registers/register_search.html",
        {
            "form": form,
            "page": page,
            "unit": user.org_unit,
            "query": query.urlencode(),
        },
        status=200 if valid else 400,
    )
