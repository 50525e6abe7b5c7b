"""Forms: shape of input only; services do the writing."""

import datetime
from typing import Any
from urllib.parse import urlsplit

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .addresses import public_origin
from .identifiers import normalize_phone, personal_id_errors, phone_errors
from .models import DocumentType, HouseholdMember, Relation, Sex, User
from .policy import EID_ONLY_MESSAGE, password_login_allowed
from .selectors import communes_served

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(submit_label: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", submit_label, css_class="btn-lg"))
    return helper


class LoginForm(AuthenticationForm):
    """Username and password; one message for an unknown user or a wrong password."""

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sau 5 lần sai liên "
            "tiếp, đăng nhập bị tạm khóa 15 phút."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Số định danh cá nhân hoặc tên đăng nhập")
        self.fields["username"].help_text = _(
            "Công dân: 12 chữ số trên thẻ căn cước. Cán bộ: tên đăng nhập được cấp."
        )
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "inputmode": "text"}
        )
        self.fields["password"].label = _("Mật khẩu")

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not password_login_allowed(user):
            raise ValidationError(EID_ONLY_MESSAGE, code="eid_only")


class OtpForm(forms.Form):
    otp = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=8,
        help_text=_("Mở ứng dụng xác thực trên điện thoại và nhập mã đang hiển thị."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

    def clean_otp(self) -> str:
        return "".join(str(self.cleaned_data["otp"]).split())


class SignUpForm(forms.Form):
    """A citizen's account: personal ID number, name, birth, sex, phone."""

    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,
        help_text=_("12 chữ số in trên thẻ căn cước (căn cước công dân)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    date_of_birth = forms.DateField(label=_("Ngày sinh"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        help_text=_("Cần có để lấy lại mật khẩu khi quên."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Ít nhất 8 ký tự, không toàn chữ số, không quá giống thông tin cá nhân."
        ),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tạo tài khoản"))

    def clean_personal_id(self) -> str:
        number = "".join(str(self.cleaned_data["personal_id"]).split())
        errors = personal_id_errors(number)
        if errors:
            raise forms.ValidationError(errors)
        if User.objects.filter(username=number).exists():
            raise forms.ValidationError(
                _(
                    "Số định danh này đã có tài khoản. Hãy đăng nhập, hoặc dùng "
                    "“Quên mật khẩu”."
                )
            )
        return number

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"])
        errors = phone_errors(phone)
        if errors:
            raise forms.ValidationError(errors)
        return normalize_phone(phone)

    def clean_date_of_birth(self) -> datetime.date:
        born: datetime.date = self.cleaned_data["date_of_birth"]
        if born > datetime.date.today():
            raise forms.ValidationError(_("Ngày sinh không thể ở tương lai."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("personal_id")
        born = data.get("date_of_birth")
        if number and born and data.get("sex"):
            for error in personal_id_errors(
                number, date_of_birth=born, sex=data["sex"]
            ):
                self.add_error("personal_id", error)
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
        elif password1:
            probe = User(
                username=number or "",
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PortalPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Any:
        # A citizen who logs in by electronic identity only gets no reset mail
        # (the page answers the same either way: no address is revealed).
        return (
            user for user in super().get_users(email) if password_login_allowed(user)
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Thư điện tử đã đăng ký")
        self.helper = _helper(_("Gửi thư đặt lại mật khẩu"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The emailed link goes to the portal's public address (PORTAL_URL, else
        # the request's), as every other link the portal sends.
        origin = urlsplit(public_origin(kwargs.get("request")))
        if origin.netloc:
            kwargs["domain_override"] = origin.netloc
            kwargs["use_https"] = origin.scheme == "https"
        super().save(*args, **kwargs)


class ProfileForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    permanent_address = forms.CharField(
        label=_("Nơi thường trú"),
        max_length=255,
        required=False,
        help_text=_("Số nhà, thôn/xóm, xã, huyện, tỉnh."),
    )
    current_address = forms.CharField(
        label=_("Nơi ở hiện tại"),
        max_length=255,
        required=False,
        help_text=_("Để trống nếu giống nơi thường trú."),
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, thị trấn nơi ở"),
        queryset=communes_served(),
        required=False,
        empty_label=_("— Không thuộc các xã trong danh sách —"),
        help_text=_("Cán bộ của xã này có thể xem hồ sơ của bạn khi giải quyết việc."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)  # noqa: S101
        commune.queryset = communes_served()
        self.helper = _helper(_("Lưu"))

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"])
        errors = phone_errors(phone)
        if errors:
            raise forms.ValidationError(errors)
        return normalize_phone(phone)


class HouseholdMemberForm(forms.ModelForm[HouseholdMember]):
    class Meta:
        model = HouseholdMember
        fields = ["full_name", "relation", "date_of_birth", "sex", "personal_id"]
        widgets = {"date_of_birth": DATE_WIDGET}
        help_texts = {
            "personal_id": _("Không bắt buộc. Trẻ đã đăng ký khai sinh đều có số này.")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relation = self.fields["relation"]
        assert isinstance(relation, forms.ChoiceField)  # noqa: S101
        relation.choices = [("", "---------"), *Relation.choices]
        self.helper = _helper(_("Lưu"))

    def clean_personal_id(self) -> str:
        number = "".join(str(self.cleaned_data.get("personal_id") or "").split())
        if number:
            errors = personal_id_errors(number)
            if errors:
                raise forms.ValidationError(errors)
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("personal_id")
        if number and data.get("date_of_birth") and not self.has_error("personal_id"):
            for error in personal_id_errors(
                number, date_of_birth=data["date_of_birth"], sex=data.get("sex") or None
            ):
                self.add_error("personal_id", error)
        return data

    def _post_clean(self) -> None:
        # The service validates the model; the form checks shape only.
        pass


class StoredDocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Loại giấy tờ"), choices=DocumentType.choices)
    title = forms.CharField(
        label=_("Tên giấy tờ"),
        max_length=200,
        help_text=_("Ví dụ: Giấy khai sinh của con Nguyễn Văn Bình."),
    )
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    issued_by = forms.CharField(label=_("Cơ quan cấp"), max_length=200, required=False)
    issued_on = forms.DateField(label=_("Ngày cấp"), required=False, widget=DATE_WIDGET)
    file = forms.FileField(
        label=_("Tệp (PDF, JPG, PNG)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Lưu vào kho"))


class StaffAccessForm(forms.Form):
    """Why a staff user opens a citizen's profile (kept in the access log)."""

    context = forms.CharField(
        label=_("Lý do xem"),
        max_length=255,
        help_text=_("Ví dụ: tiếp nhận hồ sơ khai sinh tại Bộ phận Một cửa."),
    )


class CitizenLookupForm(StaffAccessForm):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân của công dân"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    field_order = ["personal_id", "context"]

    def clean_personal_id(self) -> str:
        number = "".join(str(self.cleaned_data["personal_id"]).split())
        errors = personal_id_errors(number)
        if errors:
            raise forms.ValidationError(errors)
        return number
