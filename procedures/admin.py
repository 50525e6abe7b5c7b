"""Editing the catalogue, its guides and announcements (administrators).

A broken form schema is refused with the messages of `schema_errors`; a file
field must name one of the procedure's papers, and a linked step's condition
must read fields of the group's form.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from .models import (
    Announcement,
    AnywhereInProvince,
    Document,
    Faq,
    Field,
    Guide,
    GuideStep,
    Kind,
    LifeEvent,
    LinkedStep,
    Procedure,
)
from .schema import schema_condition_errors, schema_errors
from .selectors import procedure_search
from .services import CatalogueError, anywhere_in_province_import, procedure_save


class ProcedureAdminForm(forms.ModelForm[Procedure]):
    class Meta:
        model = Procedure
        # The admin's fieldsets choose the fields; the form checks the schema.
        fields = ["form_schema", "submittable", "where_done"]
        widgets = {
            "form_schema": forms.Textarea(
                attrs={"rows": 24, "cols": 100, "class": "vLargeTextField monospace"}
            )
        }
        help_texts = {
            "form_schema": _(
                "JSON theo mô tả trong docs/catalogue.md. Để trống {} với mục không "
                "nộp hồ sơ trên cổng."
            )
        }

    def clean_form_schema(self) -> Any:
        schema = self.cleaned_data.get("form_schema") or {}
        if schema:
            problems = schema_errors(schema)
            if problems:
                raise ValidationError(problems)
        return schema

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        schema = data.get("form_schema")
        if data.get("submittable") and "form_schema" in data and not schema:
            self.add_error(
                "form_schema",
                _("Thủ tục nộp hồ sơ trên cổng cần có cấu trúc tờ khai."),
            )
        if data.get("submittable") is False and schema:
            self.add_error(
                "form_schema",
                _("Mục không nộp hồ sơ trên cổng thì không có tờ khai: để trống {}."),
            )
        return data


class DocumentFormSet(BaseInlineFormSet[Document, Procedure, Any]):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        schema = self.instance.form_schema
        # Shape problems are the procedure form's; here only the references.
        if not schema or schema_errors(schema):
            return
        keys = [
            form.cleaned_data["key"]
            for form in self.forms
            if form.cleaned_data.get("key") and not form.cleaned_data.get("DELETE")
        ]
        problems = schema_errors(schema, document_keys=keys)
        if problems:
            raise ValidationError(problems)


class LinkedStepFormSet(BaseInlineFormSet[LinkedStep, Procedure, Any]):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if kept and self.instance.kind != Kind.LINKED:
            raise ValidationError(_("Chỉ nhóm liên thông mới có các bước."))
        schema = self.instance.form_schema or {}
        problems = [
            problem
            for form in kept
            if form.cleaned_data.get("condition")
            for problem in schema_condition_errors(
                schema, form.cleaned_data["condition"]
            )
        ]
        if problems:
            raise ValidationError(problems)


class DocumentInline(admin.StackedInline[Document, Procedure]):
    model = Document
    formset = DocumentFormSet
    extra = 0
    fields = [
        ("order", "key"),
        "name",
        "name_en",
        ("copies", "required"),
        "condition_note",
        "condition_note_en",
        ("ecopy_from_store", "ecopy_from_national_db"),
    ]


class LinkedStepInline(admin.TabularInline[LinkedStep, Procedure]):
    model = LinkedStep
    fk_name = "group"
    formset = LinkedStepFormSet
    extra = 0
    raw_id_fields = ["procedure"]
    fields = [
        "order",
        "procedure",
        "agency_type",
        "processing_days",
        "same_day",
        "optional",
        "condition",
        "processing_note",
    ]


class FaqInline(admin.StackedInline[Faq, Procedure]):
    model = Faq
    extra = 0
    fields = [
        ("order", "is_published"),
        "question",
        "question_en",
        "answer",
        "answer_en",
        "source",
    ]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
    form = ProcedureAdminForm
    inlines = [DocumentInline, LinkedStepInline, FaqInline]
    list_display = [
        "code",
        "name",
        "field",
        "kind",
        "essential_seq",
        "verified",
        "submittable",
        "locally_edited",
    ]
    list_filter = [
        "kind",
        "essential",
        "submittable",
        "verified",
        "field",
        "agency_type",
    ]
    search_fields = ["code", "key", "name"]
    filter_horizontal = ["life_events"]
    readonly_fields = ["locally_edited", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("code", "key"),
                    "name",
                    "name_en",
                    "keywords",
                    ("field", "kind"),
                    "life_events",
                    ("essential", "essential_seq"),
                ]
            },
        ),
        (
            _("Cơ quan, thời hạn, phí"),
            {
                "fields": [
                    ("agency_type", "agency_level"),
                    "agency_name",
                    "agency_name_en",
                    ("processing_days", "same_day"),
                    "processing_note",
                    "processing_note_en",
                    ("fee_online_vnd", "fee_counter_vnd"),
                    "fee_note",
                    "fee_note_en",
                    "online_level",
                ]
            },
        ),
        (
            _("Kết quả, căn cứ pháp lý"),
            {
                "fields": [
                    "result_documents",
                    "result_documents_en",
                    "has_document_result",
                    "legal_basis",
                    "legal_basis_en",
                ]
            },
        ),
        (
            _("Nộp hồ sơ và tờ khai"),
            {"fields": ["submittable", "where_done", "where_done_en", "form_schema"]},
        ),
        (
            _("Nguồn và xác minh"),
            {
                "fields": [
                    ("verified", "verified_note"),
                    "source",
                    "mapping_note",
                    "mapping_note_en",
                    ("locally_edited", "updated_at"),
                ]
            },
        ),
    ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Procedure], search_term: str
    ) -> tuple[QuerySet[Procedure], bool]:
        # The portal's own search: no diacritics needed, codes match.
        if not search_term:
            return queryset, False
        matches = procedure_search(q=search_term).values("pk")
        return queryset.filter(pk__in=matches), False

    def save_model(
        self, request: HttpRequest, obj: Procedure, form: Any, change: bool
    ) -> None:
        # The questions are not catalogue data: answering one must not keep
        # `load_catalogue` from updating the procedure's facts. The papers and
        # steps are, and mark it in save_related.
        edited = obj.locally_edited or not change or form.has_changed()
        procedure_save(procedure=obj, edited_locally=edited)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        procedure = form.instance
        catalogue_changed = any(
            formset.has_changed() for formset in formsets if formset.model is not Faq
        )
        if catalogue_changed and not procedure.locally_edited:
            procedure_save(procedure=procedure)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin[Field]):
    list_display = ["code", "name", "name_en", "order"]
    search_fields = ["code", "name", "name_en"]


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin[LifeEvent]):
    list_display = ["code", "name", "name_en", "order"]
    search_fields = ["code", "name", "name_en"]


class GuideStepInline(admin.StackedInline[GuideStep, Guide]):
    model = GuideStep
    extra = 0


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin[Guide]):
    inlines = [GuideStepInline]
    list_display = ["title", "slug", "procedure", "is_published", "order"]
    list_filter = ["is_published"]
    raw_id_fields = ["procedure"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin[Announcement]):
    list_display = [
        "title",
        "org_unit",
        "admin_unit",
        "published_from",
        "published_until",
    ]
    list_filter = ["org_unit"]
    search_fields = ["title", "body"]
    raw_id_fields = ["org_unit", "admin_unit"]
    date_hierarchy = "published_from"


class AnywhereImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"),
        help_text=_(
            "Các cột: province (mã tỉnh), procedure (mã thủ tục), valid_from, "
            "valid_to, source, verified, note; mã hóa UTF-8. Tất cả hoặc không: "
            "một dòng lỗi thì chưa lưu dòng nào."
        ),
    )


@admin.register(AnywhereInProvince)
class AnywhereInProvinceAdmin(admin.ModelAdmin[AnywhereInProvince]):
    """The provinces' lists, edited row by row or imported from CSV."""

    list_display = [
        "procedure",
        "province",
        "valid_from",
        "valid_to",
        "verified",
        "source",
    ]
    list_filter = ["verified", "province"]
    search_fields = ["procedure__code", "procedure__name", "source"]
    raw_id_fields = ["procedure", "province"]
    date_hierarchy = "valid_from"
    change_list_template = "admin/procedures/anywhereinprovince/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="procedures_anywhereinprovince_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AnywhereImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                count = anywhere_in_province_import(text=raw.decode("utf-8"))
            except UnicodeDecodeError:
                errors = [str(_("Tệp không phải văn bản UTF-8."))]
            except CatalogueError as error:
                errors = error.messages
            else:
                self.message_user(
                    request, _("Đã nhập %(count)d dòng.") % {"count": count}
                )
                return redirect("admin:procedures_anywhereinprovince_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập danh mục từ tệp CSV"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(
            request, "admin/procedures/anywhereinprovince/import.html", context
        )
