"""The tracking book (sổ theo dõi hồ sơ, Circular 03/2025 form 07) of the
officer's unit for a period, as PDF or XLSX (dossiers/tracking_book.py)."""

import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import staff_required

from ...tracking_book import tracking_book, tracking_book_pdf, tracking_book_xlsx
from .common import staff_of

# A book longer than this is split by the officer (one query, one file).
MAX_DAYS = 366


class TrackingBookForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[("pdf", "PDF"), ("xlsx", "XLSX (Excel)")],
        initial="pdf",
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date):
            if end < start:
                raise forms.ValidationError(_("Ngày cuối phải sau ngày đầu."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(
                    _("Mỗi lần xuất tối đa %(days)d ngày.") % {"days": MAX_DAYS}
                )
        return data


@staff_required
@never_cache
@require_GET
def tracking_book_export(request: HttpRequest) -> HttpResponse:
    """The form; with its dates, the book of the officer's own unit as a file."""
    user = staff_of(request)
    unit = user.org_unit
    today = timezone.localdate()
    bound = "start" in request.GET or "end" in request.GET
    form = TrackingBookForm(
        request.GET if bound else None,
        initial={"start": today.replace(day=1), "end": today, "format": "pdf"},
    )
    if unit is not None and bound and form.is_valid():
        book = tracking_book(
            unit=unit, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        name = f"so-theo-doi-ho-so-{book.start:%Y%m%d}-{book.end:%Y%m%d}"
        if form.cleaned_data["format"] == "xlsx":
            response = HttpResponse(
                tracking_book_xlsx(book),
                content_type=(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                ),
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        response = HttpResponse(tracking_book_pdf(book), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return render(
        request,
        "dossiers/tracking_book.html",
        {"form": form, "unit": unit},
        status=400 if bound and not form.is_valid() else 200,
    )
