"""Forms of the officer pages: the queue's filters, one small form per action,
counter filing and the appointment calculator. They check the shape of input;
the services decide."""

import datetime
from collections.abc import Iterator
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import normalize_phone, personal_id_errors, phone_errors
from accounts.models import Sex, User
from procedures.models import Procedure
from procedures.text import normalize
from units.models import AdminUnit, AgencyType, OrgUnit

from ..calendar import WorkingCalendar
from ..models import Channel, Dossier, Status
from ..selectors import (
    APOLOGY,
    DUE_SOON,
    OVERDUE,
    QUEUE_ALL,
    QUEUE_CLOSED,
    QUEUE_OPEN,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _no_tag_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ProcedureChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})" if obj.code else str(obj.name)


# Inside a place's group, the people's committee first, then the police, the
# district offices ... (the order of AgencyType).
_KIND_ORDER = {kind: index for index, kind in enumerate(AgencyType.values)}


class _GroupedIterator(ModelChoiceIterator):  # type: ignore[type-arg]
    """A model choice field's choices in <optgroup>s, from its `groups()`."""

    def __iter__(self) -> Iterator[Any]:
        field: Any = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for label, objects in field.groups(list(self.queryset)):
            yield (label, [self.choice(obj) for obj in objects])


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Units grouped by their place (commune, or the district for its offices),
    the officer's own place first, then the upper levels, then the communes by
    name; inside a place, by kind. A native <select> with <optgroup>s: it works
    without JavaScript, by keyboard and on a phone's picker.
    """

    iterator = _GroupedIterator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_area_id: int | None = None

    def groups(self, units: list[OrgUnit]) -> Iterator[tuple[str, list[OrgUnit]]]:
        places: dict[int, AdminUnit] = {}
        members: dict[int, list[OrgUnit]] = {}
        for unit in units:
            places[unit.admin_unit_id] = unit.admin_unit
            members.setdefault(unit.admin_unit_id, []).append(unit)
        for place in sorted(
            places.values(),
            key=lambda p: (p.pk != self.own_area_id, p.depth, normalize(p.name)),
        ):
            label = place.name
            if place.pk == self.own_area_id:
                label = _("%(place)s (địa bàn của bạn)") % {"place": place.name}
            yield (
                str(label),
                sorted(
                    members[place.pk],
                    key=lambda u: (
                        _KIND_ORDER.get(u.agency_type, 99),
                        normalize(u.name),
                    ),
                ),
            )


class OfficerSelect(forms.Select):
    """Each officer's option names their unit (data-unit), so the page's script
    can offer only the officers of the unit chosen above."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        instance = getattr(option["value"], "instance", None)
        if instance is not None:
            option["attrs"]["data-unit"] = str(instance.org_unit_id)
        return option


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Officers grouped by their unit (the officer's own unit first)."""

    iterator = _GroupedIterator
    widget = OfficerSelect

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_unit_id: int | None = None

    def groups(self, people: list[User]) -> Iterator[tuple[str, list[User]]]:
        units: dict[int, OrgUnit] = {}
        members: dict[int, list[User]] = {}
        for person in people:
            assert person.org_unit is not None  # noqa: S101 - officers_of_active_units
            units[person.org_unit.pk] = person.org_unit
            members.setdefault(person.org_unit.pk, []).append(person)
        for unit in sorted(
            units.values(), key=lambda u: (u.pk != self.own_unit_id, normalize(u.name))
        ):
            yield unit.name, sorted(members[unit.pk], key=lambda u: normalize(str(u)))


def _personal_id(value: Any) -> str:
    number = "".join(str(value or "").split())
    errors = personal_id_errors(number)
    if errors:
        raise ValidationError(errors)
    return number


# --- Queue --------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's filters, kept in the URL (GET)."""

    q = forms.CharField(
        label=_("Tìm theo mã hồ sơ, tên hoặc số định danh của người nộp"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    # Empty or absent: the open dossiers (the queue's default, first choice).
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        initial=QUEUE_OPEN,
        choices=[
            (QUEUE_OPEN, _("Chưa kết thúc")),
            (QUEUE_CLOSED, _("Đã kết thúc (đã trả, từ chối, dừng, rút)")),
            (QUEUE_ALL, _("Tất cả")),
            (_("Từng trạng thái"), Status.choices),
        ],
    )
    # Choices: what the queue holds at the chosen status (the view sets them).
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    admin_unit = forms.ChoiceField(label=_("Địa bàn"), required=False)
    channel = forms.ChoiceField(
        label=_("Kênh nộp"),
        required=False,
        choices=[("", _("Tất cả")), *Channel.choices],
    )
    assignee = forms.ChoiceField(
        label=_("Cán bộ giữ"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("mine", _("Của tôi")),
            ("unassigned", _("Chưa giao ai")),
        ],
    )
    timing = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            (DUE_SOON, _("Sắp đến hạn (trong 1 ngày làm việc)")),
            (OVERDUE, _("Quá hạn")),
            (APOLOGY, _("Cần cân nhắc xin lỗi, hẹn lại")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[
            ("due", _("Hạn trả gần nhất trước")),
            ("-due", _("Hạn trả xa nhất trước")),
            ("-submitted", _("Nộp mới nhất trước")),
            ("submitted", _("Nộp cũ nhất trước")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        procedures: list[tuple[str, str]],
        admin_units: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("Tất cả"))
        procedure = self.fields["procedure"]
        admin_unit = self.fields["admin_unit"]
        assert isinstance(procedure, forms.ChoiceField)  # noqa: S101
        assert isinstance(admin_unit, forms.ChoiceField)  # noqa: S101
        procedure.choices = [everything, *procedures]
        admin_unit.choices = [everything, *admin_units]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Giao cho cán bộ"),
        queryset=User.objects.none(),
        empty_label=None,
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, colleagues: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)  # noqa: S101
        assignee.queryset = colleagues
        self.helper = _no_tag_helper()


# --- Actions on one dossier ---------------------------------------------------------


class ActionForm(forms.Form):
    """One action's inputs. `seen_status` is the status the officer was looking
    at: if someone else moved the dossier meanwhile, the view says so."""

    seen_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        dossier: Dossier,
        user: User,
        calendar: WorkingCalendar,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})["seen_status"] = dossier.status
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.user = user
        self.calendar = calendar
        self.helper = _no_tag_helper()


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReceiveForm(NoteForm):
    pass


class ApproveForm(NoteForm):
    pass


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi rõ lý do.")},
    )


class RefuseForm(ReasonForm):
    pass


class StopForm(ReasonForm):
    pass


class SupplementRequestForm(ActionForm):
    papers = forms.MultipleChoiceField(
        label=_("Giấy tờ trong thành phần hồ sơ của thủ tục"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_items = forms.CharField(
        label=_("Nội dung khác cần bổ sung, hoàn thiện (mỗi dòng một mục)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Lý do, hướng dẫn cụ thể"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi rõ lý do và hướng dẫn.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        papers = self.fields["papers"]
        assert isinstance(papers, forms.MultipleChoiceField)  # noqa: S101
        papers.choices = [
            (document.name, document.name)
            for document in self.dossier.procedure.documents.all()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        others = [
            line.strip()
            for line in str(data.get("other_items") or "").splitlines()
            if line.strip()
        ]
        data["items"] = [*data.get("papers", []), *others]
        if not data["items"]:
            self.add_error(
                "other_items",
                _("Hãy chọn hoặc ghi ít nhất một giấy tờ, nội dung cần bổ sung."),
            )
        return data


class ForwardForm(ActionForm):
    to_unit = UnitChoiceField(
        label=_("Chuyển đến cơ quan, đơn vị xử lý"),
        queryset=OrgUnit.objects.none(),
        empty_label=None,
    )
    assignee = OfficerChoiceField(
        label=_("Giao cho cán bộ của đơn vị đó (không bắt buộc)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Để đơn vị tự phân công —"),
        help_text=_("Chỉ chọn được cán bộ của đơn vị đã chọn ở trên."),
    )
    note = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        assignees: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        to_unit = self.fields["to_unit"]
        assignee = self.fields["assignee"]
        assert isinstance(to_unit, UnitChoiceField)  # noqa: S101
        assert isinstance(assignee, OfficerChoiceField)  # noqa: S101
        to_unit.queryset = units
        to_unit.initial = self.user.org_unit_id
        to_unit.own_area_id = (
            self.user.org_unit.admin_unit_id if self.user.org_unit else None
        )
        assignee.queryset = assignees
        assignee.own_unit_id = self.user.org_unit_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, person = data.get("to_unit"), data.get("assignee")
        if unit is not None and person is not None and person.org_unit_id != unit.pk:
            self.add_error(
                "assignee",
                _(
                    "Cán bộ này không thuộc %(unit)s. Hãy chọn một cán bộ của đơn vị "
                    "đó, hoặc để đơn vị tự phân công."
                )
                % {"unit": unit},
            )
        return data


class IssueResultForm(ActionForm):
    UPLOAD = "upload"
    GENERATE = "generate"

    title = forms.CharField(
        label=_("Tên kết quả"),
        max_length=255,
        help_text=_("Ví dụ: Giấy khai sinh; Quyết định hưởng chế độ tử tuất."),
    )
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=100, required=False)
    source = forms.ChoiceField(
        label=_("Văn bản kết quả"),
        choices=[
            (UPLOAD, _("Tải lên tệp kết quả đã ký (PDF, JPG, PNG)")),
            (GENERATE, _("Tạo văn bản điện tử từ dữ liệu hồ sơ, có mã QR xác thực")),
        ],
        initial=UPLOAD,
        widget=forms.RadioSelect,
        help_text=_(
            "Kết quả có tệp được tính là đã số hóa (chỉ số 766, tiêu chí 4.1)."
        ),
    )
    file = forms.FileField(
        label=_("Tệp kết quả"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first_line = self.dossier.procedure.result_documents.split("\n", 1)[0]
        name = first_line.split("(", 1)[0].split(";", 1)[0].strip()
        if name and len(name) <= 120:
            self.fields["title"].initial = name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == self.UPLOAD and not data.get("file"):
            self.add_error("file", _("Hãy chọn tệp kết quả, hoặc chọn tạo văn bản."))
        return data


class ReturnResultForm(ActionForm):
    method = forms.ChoiceField(
        label=_("Hình thức trả kết quả"),
        choices=[
            ("counter", _("Trực tiếp tại Bộ phận Một cửa")),
            ("post", _("Qua dịch vụ bưu chính công ích")),
            ("online", _("Trực tuyến (công dân tải về trên Cổng)")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].initial = (
            "online" if self.dossier.channel == Channel.ONLINE else "counter"
        )


# How many working days after the due date the apology's date list offers.
APOLOGY_CHOICES = 30


class ApologizeForm(ActionForm):
    new_due_date = forms.TypedChoiceField(
        label=_("Ngày hẹn trả mới"),
        coerce=datetime.date.fromisoformat,
        help_text=_("Chỉ các ngày làm việc sau hạn hiện tại."),
    )
    reason = forms.CharField(
        label=_("Lý do chậm trả kết quả"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi rõ lý do chậm trả kết quả.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_due_date"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        days: list[datetime.date] = []
        if self.dossier.due_at is not None:
            day = timezone.localtime(self.dossier.due_at).date()
            for _i in range(APOLOGY_CHOICES):
                day = self.calendar.next_working_day(day)
                days.append(day)
        field.choices = [(day.isoformat(), weekday_date(day)) for day in days]


def weekday_date(day: datetime.date) -> str:
    names = [
        _("Thứ Hai"),
        _("Thứ Ba"),
        _("Thứ Tư"),
        _("Thứ Năm"),
        _("Thứ Sáu"),
        _("Thứ Bảy"),
        _("Chủ nhật"),
    ]
    return f"{names[day.weekday()]} {day:%d/%m/%Y}"


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
        return _personal_id(self.cleaned_data["personal_id"])


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
        self.helper = _no_tag_helper()

    def clean_personal_id(self) -> str:
        return _personal_id(self.cleaned_data["personal_id"])

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


# --- Appointment calculator -----------------------------------------------------------


class DueCalculatorForm(forms.Form):
    procedure = ProcedureChoiceField(
        label=_("Thủ tục"),
        queryset=Procedure.objects.none(),
        to_field_name="key",
        empty_label=_("— Chọn thủ tục —"),
    )
    received_on = forms.DateField(label=_("Ngày tiếp nhận"), widget=DATE_WIDGET)
    received_time = forms.TimeField(
        label=_("Giờ tiếp nhận"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        procedure = self.fields["procedure"]
        assert isinstance(procedure, forms.ModelChoiceField)  # noqa: S101
        procedure.queryset = Procedure.objects.order_by("name")

    def received_at(self) -> datetime.datetime:
        moment = datetime.datetime.combine(
            self.cleaned_data["received_on"], self.cleaned_data["received_time"]
        )
        return timezone.make_aware(moment)
