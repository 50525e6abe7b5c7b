"""Forms of the catalogue pages (the form schemas build their own: see schema/)."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from units.models import AgencyType

from .models import AgencyLevel, Kind, LifeEvent
from .models import Field as Sector

ALL = [("", _("Tất cả"))]
ESSENTIAL_CHOICES = [
    *ALL,
    ("true", _("Trong danh sách 53 dịch vụ công thiết yếu")),
    ("false", _("Ngoài danh sách 53")),
]


class ProcedureFilterForm(forms.Form):
    """Search and filters of the results page; every value stays in the URL."""

    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=200,
        help_text=_("Gõ có dấu hoặc không dấu, ví dụ “khai sinh”, hoặc mã thủ tục."),
    )
    life_event = forms.ChoiceField(label=_("Sự kiện cuộc sống"), required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    agency_type = forms.ChoiceField(
        label=_("Cơ quan giải quyết"),
        required=False,
        choices=[*ALL, *AgencyType.choices],
    )
    agency_level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[*ALL, *AgencyLevel.choices],
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[*ALL, *Kind.choices]
    )
    essential = forms.ChoiceField(
        label=_("Danh sách"), required=False, choices=ESSENTIAL_CHOICES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["life_event"].choices = [  # type: ignore[attr-defined]
            *ALL,
            *((e.code, e.name) for e in LifeEvent.objects.all()),
        ]
        self.fields["field"].choices = [  # type: ignore[attr-defined]
            *ALL,
            *((f.code, f.name) for f in Sector.objects.all()),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("procedures:procedure-list")
        self.helper.disable_csrf = True
        self.helper.attrs = {"role": "search"}
        filtering = any(self.data.get(name) for name in self.fields if name != "q")
        title = _("Lọc theo sự kiện, lĩnh vực, cơ quan")
        self.helper.layout = Layout(
            Field("q", type="search"),
            # The filters under their heading on a tablet or a computer; folded
            # behind a button on a phone unless one is in use. (A <details> fold
            # on every screen hid them behind a title that looked like a heading
            # with nothing under it.)
            HTML(
                format_html(
                    '<p class="fw-bold d-none d-md-block mb-2" id="filters-title">'
                    "{}</p>"
                    '<button class="btn btn-outline-dark d-md-none mb-3" '
                    'type="button" data-bs-toggle="collapse" '
                    'data-bs-target="#search-filters" aria-expanded="{}" '
                    'aria-controls="search-filters">{} '
                    '<span aria-hidden="true">▾</span></button>'
                    '<div class="collapse d-md-block{}" id="search-filters" '
                    'role="group" aria-label="{}">',
                    title,
                    "true" if filtering else "false",
                    title,
                    mark_safe(" show") if filtering else "",
                    title,
                )
            ),
            Div(
                Div("life_event", css_class="col-12 col-md-6 col-lg-4"),
                Div("field", css_class="col-12 col-md-6 col-lg-4"),
                Div("agency_type", css_class="col-12 col-md-6 col-lg-4"),
                Div("agency_level", css_class="col-12 col-md-6 col-lg-4"),
                Div("kind", css_class="col-12 col-md-6 col-lg-4"),
                Div("essential", css_class="col-12 col-md-6 col-lg-4"),
                css_class="row",
            ),
            HTML("</div>"),
            Submit("", _("Tìm"), css_class="btn-primary btn-lg"),
        )

    def search_filters(self) -> dict[str, Any]:
        """Keyword arguments for `procedure_search` (call after is_valid())."""
        data = dict(self.cleaned_data)
        essential = data.pop("essential", "")
        return {**data, "essential": None if not essential else essential == "true"}


class QuickSearchForm(forms.Form):
    """The search box of the catalogue home and the portal home."""

    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=200,
        help_text=_("Gõ có dấu hoặc không dấu, ví dụ “khai sinh”, hoặc mã thủ tục."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("procedures:procedure-list")
        self.helper.disable_csrf = True
        self.helper.attrs = {"role": "search"}
        self.helper.layout = Layout(
            Field("q", type="search"),
            Submit("", _("Tìm"), css_class="btn-primary btn-lg"),
        )
