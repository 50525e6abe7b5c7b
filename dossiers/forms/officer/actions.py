"""One small form per action on a dossier."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from units.models import OrgUnit

from ...calendar import WorkingCalendar
from ...models import Channel, Dossier
from .fields import OfficerChoiceField, UnitChoiceField, no_tag_helper

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
        self.helper = no_tag_helper()


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReceiveForm(NoteForm):
    pass


class SubmitForSignatureForm(NoteForm):
    pass


class SignForm(NoteForm):
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


class SendBackForm(ReasonForm):
    """The leader sends the draft back: the reason tells the specialist what to
    change (required)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do trả lại, nội dung cần sửa")
        self.fields["reason"].error_messages["required"] = _(
            "Hãy ghi rõ lý do trả lại để chuyên viên sửa dự thảo."
        )


class StopForm(ReasonForm):
    pass


class StopOnRequestForm(ActionForm):
    """The applicant, at the counter, asks to stop (Circular 03/2025 art. 7)."""

    reason = forms.CharField(
        label=_("Lý do người nộp đề nghị dừng (không bắt buộc)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


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
        # The competent agency first (issue 17: a dossier received for another
        # commune goes to its office), else the officer's own unit.
        competent = self.dossier.competent_unit
        to_unit.initial = (
            competent.pk
            if competent is not None and competent.in_force_on(timezone.localdate())
            else self.user.org_unit_id
        )
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


class DraftResultForm(ActionForm):
    """The result drafted at appraisal: a PDF uploaded, or one generated from
    the dossier's data with the verification QR code (signed when issued)."""

    UPLOAD = "upload"
    GENERATE = "generate"

    title = forms.CharField(
        label=_("Tên kết quả"),
        max_length=255,
        help_text=_("Ví dụ: Giấy khai sinh; Quyết định hưởng chế độ tử tuất."),
    )
    # No number to type: the agency's register gives it at issue (registers).
    SOURCES = [
        (UPLOAD, _("Tải lên tệp dự thảo kết quả (PDF)")),
        (GENERATE, _("Tạo văn bản điện tử từ dữ liệu hồ sơ, có mã QR xác thực")),
    ]
    source = forms.ChoiceField(
        label=_("Dự thảo kết quả"),
        choices=SOURCES,
        initial=UPLOAD,
        widget=forms.RadioSelect,
        help_text=_(
            "Kết quả được ký số bằng chứng thư số của cơ quan khi phát hành và "
            "được tính là đã số hóa (chỉ số 766, tiêu chí 4.1)."
        ),
    )
    file = forms.FileField(
        label=_("Tệp dự thảo kết quả"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ...services import result_title_suggested

        self.fields["title"].initial = result_title_suggested(self.dossier)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == self.UPLOAD and not data.get("file"):
            self.add_error(
                "file", _("Hãy chọn tệp dự thảo kết quả, hoặc chọn tạo văn bản.")
            )
        return data


class AppraiseForm(DraftResultForm):
    """Appraise and draft the result. For a procedure that certifies copies, a
    third way: the scan of the original compared at the counter, certified
    electronically (services.dossier_certify_copy)."""

    CERTIFY = "certify"

    note = forms.CharField(
        label=_("Ý kiến thẩm định (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.certifies = self.dossier.procedure.certifies_copies
        if not self.certifies:
            return
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)  # noqa: S101
        source.choices = [
            (
                self.CERTIFY,
                _(
                    "Chứng thực bản sao điện tử từ bản chính: tải lên bản chụp bản "
                    "chính (PDF, JPG, PNG)"
                ),
            ),
            *self.SOURCES,
        ]
        source.initial = self.CERTIFY
        if not hasattr(self.dossier, "result_draft"):
            from ...services import certified_copy_title

            self.fields["title"].initial = certified_copy_title(self.dossier)
        self.fields["file"].widget.attrs["accept"] = (
            "application/pdf,image/jpeg,image/png"
        )
        self.fields["original_seen"] = forms.BooleanField(
            label=_(
                "Tôi đã đối chiếu bản chụp với bản chính do người yêu cầu xuất trình"
            ),
            required=False,
            help_text=_(
                "Bản chụp kèm trang lời chứng thành dự thảo kết quả. Khi phát hành, "
                "số chứng thực lấy từ sổ chứng thực của cơ quan và bản sao được ký "
                "số bằng chứng thư số của cơ quan."
            ),
        )
        self.fields["copies"] = forms.IntegerField(
            label=_("Số bản sao (không bắt buộc)"),
            required=False,
            min_value=1,
            max_value=1000,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("source") != self.CERTIFY:
            return data
        if not data.get("file"):
            self.add_error("file", _("Hãy chọn tệp bản chụp của bản chính."))
        if not data.get("original_seen"):
            self.add_error(
                "original_seen",
                _("Chỉ chứng thực khi đã đối chiếu với bản chính."),
            )
        return data


class IssueResultForm(DraftResultForm):
    """Issue the signed-off draft: nothing to fill in. A dossier approved under
    the earlier flow has no draft: its result is given here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_draft = hasattr(self.dossier, "result_draft")
        if self.has_draft:
            for name in ("title", "source", "file"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        if self.has_draft:
            return ActionForm.clean(self) or {}
        return super().clean()


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
