"""Forms of the citizen's pages: the wizard's fixed steps, supplement, withdraw,
rating. The form data pages themselves are built from the procedure's schema
(`procedures.schema.schema_form_class`)."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import StoredDocument
from procedures.schema import SchemaForm
from procedures.schema.definitions import pick
from units.models import OrgUnit

from ..files import check_upload
from ..models import Rating, Status
from ..ratings import INDICATORS
from ..selectors import MINE_ALL, MINE_QUERY_LENGTH, QUEUE_CLOSED, QUEUE_OPEN
from ..wizard import lookup_blocks

# What a phone's file picker should offer (the server checks the content anyway).
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def _file_help() -> str:
    return _("PDF, JPEG hoặc PNG; mỗi tệp tối đa %(mb)d MB.") % {
        "mb": settings.DOSSIER_MAX_FILE_MB
    }


class MineFilterForm(forms.Form):
    """The search and status filter of "my dossiers", kept in the URL (GET)."""

    q = forms.CharField(
        label=_("Tìm theo mã hồ sơ hoặc tên thủ tục"),
        required=False,
        max_length=MINE_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[
            (MINE_ALL, _("Tất cả")),
            (QUEUE_OPEN, _("Chưa kết thúc")),
            (QUEUE_CLOSED, _("Đã kết thúc (đã trả, từ chối, dừng, rút)")),
            (_("Từng trạng thái"), Status.choices),
        ],
    )


class UnitChoiceForm(forms.Form):
    receiving_unit = forms.ModelChoiceField(
        label=_("Nơi nộp hồ sơ (cơ quan tiếp nhận)"),
        queryset=OrgUnit.objects.none(),
        empty_label=_("— Chọn nơi nộp —"),
        error_messages={
            "required": _("Hãy chọn nơi nộp hồ sơ."),
            "invalid_choice": _("Nơi nộp này không nhận hồ sơ của thủ tục này."),
        },
        help_text=_("Thường là Ủy ban nhân dân hoặc Công an nơi bạn cư trú."),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiving_unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = units
        field.widget.attrs["aria-required"] = "true"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class RegistryConsentForm(forms.Form):
    """The citizen's explicit consent before any population-registry lookup."""

    registry_consent = forms.BooleanField(
        required=False,
        label=_(
            "Tôi đồng ý để Cổng tra cứu Cơ sở dữ liệu quốc gia về dân cư theo số "
            "định danh cá nhân tôi nhập dưới đây, chỉ để điền sẵn tờ khai này."
        ),
    )


def _lookup_button(block: dict[str, Any]) -> HTML:
    html = format_html(
        '<div class="registry-lookup mb-3">'
        '<button type="submit" name="lookup" value="{}" '
        'class="btn btn-outline-primary">{}</button>'
        '<p class="form-text mb-0">{}</p></div>',
        block["name"],
        gettext("Lấy thông tin của “%(person)s” từ CSDL dân cư")
        % {"person": pick(block.get("label"))},
        gettext(
            "Nhập số định danh rồi bấm nút; cần đánh dấu đồng ý ở đầu trang. "
            "Không lấy được thì bạn vẫn tự nhập được."
        ),
    )
    # crispy renders HTML() as a template: braces must stay text.
    return HTML(str(html).replace("{", "&#123;").replace("}", "&#125;"))


def add_lookup_buttons(form: SchemaForm, part: dict[str, Any]) -> None:
    """Put a "fill from the population registry" button under the personal ID
    field of each person block of a section page (the blocks are the layout's
    person fieldsets, in the schema's order)."""
    blocks = {b["name"]: b for b in lookup_blocks(part)}
    persons = [f for f in part.get("fields", []) if f.get("type") == "person"]
    fieldsets: list[Fieldset] = []
    for item in form.helper.layout.fields:
        if isinstance(item, Div):
            item = next((f for f in item.fields if isinstance(f, Fieldset)), item)
        if isinstance(item, Fieldset) and "person-block" in (item.css_class or ""):
            fieldsets.append(item)
    for person, fieldset in zip(persons, fieldsets, strict=False):
        block = blocks.get(person["name"])
        if block is None:
            continue
        target = f"{block['name']}.personal_id"
        for index, item in enumerate(fieldset.fields):
            names = [item] if isinstance(item, str) else getattr(item, "fields", [])
            if target in names:
                fieldset.fields.insert(index + 1, _lookup_button(block))
                break


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ACCEPT, "multiple": True, "class": "form-control"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class StoredDocumentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        document: StoredDocument = obj
        parts = [document.title, str(document.get_doc_type_display())]
        if document.number:
            parts.append(document.number)
        return " · ".join(parts)


class DraftDocumentsForm(forms.Form):
    """One upload and one choice from the document store per paper asked for.

    `documents` are the applicable file fields of the schema
    (`schema_file_fields`); field names are `file-<document key>` and
    `stored-<document key>`.
    """

    def __init__(
        self,
        *args: Any,
        documents: list[dict[str, Any]],
        stored: QuerySet[StoredDocument],
        elsewhere: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents
        for document in documents:
            key = document["document"]
            self.fields[f"file-{key}"] = MultipleFileField(
                label=_("Tải tệp lên (ảnh chụp hoặc PDF)"),
                required=False,
                help_text=_file_help(),
            )
            self.fields[f"stored-{key}"] = StoredDocumentChoice(
                label=_("Hoặc dùng giấy tờ đã lưu trong kho của bạn"),
                queryset=stored,
                required=False,
                empty_label=_("— Không dùng —"),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            if elsewhere:
                # The papers of the citizen's store on the national portal,
                # offered once they consented (dossiers.hooks.paper_store).
                self.fields[f"national-{key}"] = forms.ChoiceField(
                    label=_(
                        "Hoặc lấy từ kho dữ liệu của bạn trên Cổng Dịch vụ công "
                        "quốc gia"
                    ),
                    choices=[("", _("— Không dùng —")), *elsewhere],
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )

    def groups(self) -> list[dict[str, Any]]:
        """Per paper: its label, whether required, and its two fields."""
        return [
            {
                "document": document,
                "upload": self[f"file-{document['document']}"],
                "stored": self[f"stored-{document['document']}"],
                "national": self[f"national-{document['document']}"]
                if f"national-{document['document']}" in self.fields
                else None,
            }
            for document in self.documents
        ]


class ReviewForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "Tôi cam đoan những nội dung khai trên là đúng sự thật và chịu trách "
            "nhiệm trước pháp luật về lời khai của mình."
        ),
        error_messages={"required": _("Hãy đánh dấu lời cam đoan trước khi nộp.")},
    )


class SupplementForm(forms.Form):
    """One upload per item the officer asked for, and a note."""

    note = forms.CharField(
        label=_("Ghi chú cho cán bộ (nếu cần)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(
        self, *args: Any, items: list[str], already_stored: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.already_stored = already_stored
        for index, item in enumerate(items, start=1):
            self.fields[f"item-{index}"] = MultipleFileField(
                label=item, required=False, help_text=_file_help()
            )
        self.order_fields([*(f"item-{i}" for i in range(1, len(items) + 1)), "note"])

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item-{i}"] for i in range(1, len(self.items) + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        total = self.already_stored
        missing = []
        for index in range(1, len(self.items) + 1):
            name = f"item-{index}"
            uploads = cleaned.get(name) or []
            for upload in uploads:
                try:
                    checked = check_upload(upload, already_stored=total)
                except ValidationError as error:
                    self.add_error(name, error)
                    break
                total += checked.size
            if not uploads:
                missing.append(name)
        if missing and not (cleaned.get("note") or "").strip():
            for name in missing:
                self.add_error(
                    name,
                    _(
                        "Hãy tải tệp cho giấy tờ này, hoặc ghi rõ trong phần ghi chú "
                        "vì sao không có."
                    ),
                )
        return cleaned

    def uploads(self) -> list[tuple[int, UploadedFile[bytes]]]:
        """(item number, file) for every file sent."""
        return [
            (index, upload)
            for index in range(1, len(self.items) + 1)
            for upload in self.cleaned_data.get(f"item-{index}") or []
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi lý do rút hồ sơ.")},
        help_text=_("Ví dụ: nộp nhầm thủ tục, không còn nhu cầu."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["aria-required"] = "true"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(
            Submit("submit", _("Rút hồ sơ"), css_class="btn-danger btn-lg")
        )


class StopRequestForm(forms.Form):
    """The applicant asks to stop their dossier (Circular 03/2025 art. 7)."""

    reason = forms.CharField(
        label=_("Lý do đề nghị dừng (không bắt buộc)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(
            Submit(
                "submit", _("Đề nghị dừng giải quyết"), css_class="btn-danger btn-lg"
            )
        )


SCORE_CHOICES = [("2", "2"), ("1", "1"), ("0", "0")]


class RatingForm(forms.Form):
    """The 9 indicators of TT 01/2018/TT-VPCP art. 13, 0-2 each, the overall
    judgement and a comment. The template lays each indicator out as a fieldset
    with its own wording for 2, 1 and 0 points."""

    overall = forms.ChoiceField(
        label=_("Nhìn chung, bạn có hài lòng không?"),
        choices=Rating.Overall.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn mức hài lòng chung.")},
    )
    comment = forms.CharField(
        label=_("Ý kiến, góp ý của bạn (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            self.fields[f"score_{indicator.number}"] = forms.TypedChoiceField(
                label=indicator.name,
                choices=[(str(points), text) for points, text in indicator.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Hãy chọn một mức cho chỉ số này."),
                },
            )
        self.order_fields(
            [*(f"score_{i.number}" for i in INDICATORS), "overall", "comment"]
        )

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{i.number}"] for i in INDICATORS]

    def scores(self) -> dict[str, int]:
        return {
            str(i.number): int(self.cleaned_data[f"score_{i.number}"])
            for i in INDICATORS
        }
