"""Counter filing: find or create the citizen, their code, the procedure, scans."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import normalize_phone, phone_errors
from accounts.models import Sex
from procedures.models import Procedure

from .fields import DATE_WIDGET, ProcedureChoiceField, no_tag_helper, personal_id_clean

# --- Counter filing -----------------------------------------------------------------


class CitizenFindForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân của công dân"),
        max_length=20,
        help_text=_("12 chữ số trên thẻ căn cước công dân đang xuất trình."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}
        ),
    )

    def clean_personal_id(self) -> str:
        return personal_id_clean(self.cleaned_data["personal_id"])


class CitizenCreateForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    date_of_birth = forms.DateField(label=_("Ngày sinh"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Thư điện tử (không bắt buộc)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = no_tag_helper()

    def clean_personal_id(self) -> str:
        return personal_id_clean(self.cleaned_data["personal_id"])

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"])
        errors = phone_errors(phone)
        if errors:
            raise ValidationError(errors)
        return normalize_phone(phone)

    def clean_date_of_birth(self) -> datetime.date:
        born: datetime.date = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise ValidationError(_("Ngày sinh không thể ở tương lai."))
        return born


class PhoneCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã xác nhận công dân đọc từ tin nhắn (6 chữ số)"),
        regex=r"^\s*\d(\s?\d){5}\s*$",
        error_messages={"invalid": _("Mã gồm đúng 6 chữ số.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
            }
        ),
    )


class ProcedureChooseForm(forms.Form):
    procedure = ProcedureChoiceField(
        label=_("Thủ tục"),
        queryset=Procedure.objects.none(),
        to_field_name="key",
        empty_label=_("— Chọn thủ tục —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        procedure = self.fields["procedure"]
        assert isinstance(procedure, forms.ModelChoiceField)  # noqa: S101
        procedure.queryset = Procedure.objects.filter(submittable=True).order_by("name")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ScansForm(forms.Form):
    scans = MultipleFileField(
        label=_("Bản quét giấy tờ khác (không bắt buộc)"),
        required=False,
        help_text=_("PDF, JPG hoặc PNG; chọn được nhiều tệp cùng lúc."),
        widget=MultipleFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )
