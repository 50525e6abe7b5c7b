"""The citizen's own pages: account, profile, household and document store."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ..decorators import citizen_required
from ..forms import HouseholdMemberForm, ProfileForm, StoredDocumentForm
from ..models import User
from ..selectors import (
    data_accesses_for,
    household_member_get_for_user,
    household_members_for,
    profile_for,
    stored_document_get_for_user,
    stored_documents_for,
)
from ..services import (
    household_member_add,
    household_member_delete,
    household_member_update,
    profile_update,
    stored_document_add,
    stored_document_delete,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by citizen_required
    return user


@citizen_required
@require_GET
def account_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/account_home.html",
        {
            "profile": profile_for(user=user),
            "members": household_members_for(user=user),
            "documents": stored_documents_for(user=user)[:5],
            "accesses": data_accesses_for(citizen=user)[:50],
            # The notifications app (a floor above) adds its preferences page;
            # the section shows only when it is installed (decision 23's way).
            "notification_preferences_url": _optional_url(
                "notifications:preference-edit"
            ),
            # The portal's "all my data" download (it reads every app).
            "data_export_url": _optional_url("portal:data-export"),
        },
    )


def _optional_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@citizen_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profile = profile_for(user=user)
    initial = {
        "phone": user.phone,
        "email": user.email,
        "permanent_address": profile.permanent_address,
        "current_address": profile.current_address,
        "commune": profile.commune_id,
    }
    form = ProfileForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if form.is_valid():
        profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Đã lưu thông tin cá nhân."))
        return redirect("accounts:account-home")
    return render(request, "accounts/profile_edit.html", {"form": form})


@citizen_required
@require_http_methods(["GET", "POST"])
def household_member_create(request: HttpRequest) -> HttpResponse:
    form = HouseholdMemberForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        household_member_add(owner=_user(request), **form.cleaned_data)
        messages.success(request, _("Đã thêm thành viên gia đình."))
        return redirect("accounts:account-home")
    return render(
        request, "accounts/household_member_form.html", {"form": form, "member": None}
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def household_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = household_member_get_for_user(user=_user(request), pk=pk)
    form = HouseholdMemberForm(
        request.POST if request.method == "POST" else None, instance=member
    )
    if form.is_valid():
        household_member_update(member=member, **form.cleaned_data)
        messages.success(request, _("Đã lưu thành viên gia đình."))
        return redirect("accounts:account-home")
    return render(
        request, "accounts/household_member_form.html", {"form": form, "member": member}
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def household_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = household_member_get_for_user(user=_user(request), pk=pk)
    if request.method == "POST":
        household_member_delete(member=member)
        messages.success(request, _("Đã xóa thành viên gia đình."))
        return redirect("accounts:account-home")
    return render(
        request, "accounts/household_member_confirm_delete.html", {"member": member}
    )


@citizen_required
@require_GET
def stored_document_list(request: HttpRequest) -> HttpResponse:
    documents = stored_documents_for(user=_user(request))
    return render(
        request, "accounts/stored_document_list.html", {"documents": documents}
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def stored_document_create(request: HttpRequest) -> HttpResponse:
    form = StoredDocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_valid():
        try:
            document = stored_document_add(owner=_user(request), **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Đã lưu giấy tờ vào kho."))
            return redirect(document)
    return render(request, "accounts/stored_document_form.html", {"form": form})


@citizen_required
@require_GET
def stored_document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = stored_document_get_for_user(user=_user(request), pk=pk)
    return render(
        request, "accounts/stored_document_detail.html", {"document": document}
    )


@citizen_required
@never_cache
@require_GET
def stored_document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file itself, only for its owner (nothing is served from MEDIA_URL)."""
    document = stored_document_get_for_user(user=_user(request), pk=pk)
    extension = str(document.file.name).rsplit(".", 1)[-1]
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=request.GET.get("inline") != "1",
        filename=f"giay-to-{document.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
@require_http_methods(["GET", "POST"])
def stored_document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = stored_document_get_for_user(user=_user(request), pk=pk)
    if request.method == "POST":
        stored_document_delete(document=document)
        messages.success(request, _("Đã xóa giấy tờ khỏi kho."))
        return redirect("accounts:stored-document-list")
    return render(
        request, "accounts/stored_document_confirm_delete.html", {"document": document}
    )
