"""The person's notifications (the bell) and their channel preferences."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .channels import SENDERS
from .forms import PreferenceForm
from .models import Channel
from .selectors import notification_get_for_user, notifications_for, unread_count
from .services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_for,
    preference_update,
)

PAGE_SIZE = 20


@login_required
@never_cache
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "unread": unread_count(user=request.user)},
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points."""
    notification = notification_get_for_user(user=request.user, pk=pk)
    notification_mark_read(notification=notification, user=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("notifications:notification-list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(
        request, _("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": count}
    )
    return redirect("notifications:notification-list")


@login_required
@require_http_methods(["GET", "POST"])
def preference_edit(request: HttpRequest) -> HttpResponse:
    """Which channels the person wants (the portal's own list always holds every
    notification) and the language messages are written in."""
    user: Any = request.user
    preference = preference_for(user)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email": preference.email,
            "sms": preference.sms,
            "language": preference.language
            if preference.pk
            else (request.LANGUAGE_CODE or "vi")[:2],
        },
    )
    if request.method == "POST" and form.is_valid():
        preference_update(user=user, **form.cleaned_data)
        messages.success(request, _("Đã lưu cài đặt nhận thông báo."))
        return redirect("notifications:preference-edit")
    return render(
        request,
        "notifications/preference_edit.html",
        {
            "form": form,
            "has_email": SENDERS[Channel.EMAIL].reachable(user),
            "has_phone": SENDERS[Channel.SMS].reachable(user),
        },
        status=400 if form.is_bound else 200,
    )
