"""The dashboards' filter form (GET: the filters stay in the URL)."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Channel
from procedures.models import Procedure

from .selectors import Filters, Scope, units_for_filter


class StatsFilterForm(forms.Form):
    # Named as the API's parameters, so a page URL and an API URL read alike.
    start = forms.DateField(
        label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    channel = forms.ChoiceField(
        label=_("Kênh nộp"),
        required=False,
        choices=[("", _("Tất cả các kênh")), *Channel.choices],
    )

    def __init__(self, *args: Any, scope: Scope, filters: Filters, **kwargs: Any):
        initial = {
            "start": filters.start,
            "end": filters.end,
            "unit": filters.unit,
            "procedure": filters.procedure,
            "channel": filters.channel,
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        units = list(
            units_for_filter(scope=scope, start=filters.start, end=filters.end)
        )
        unit_choices: list[tuple[str, Any]] = [(u.code, u.name) for u in units]
        if scope.area is not None and len(scope.area_roots) > 1 and unit_choices:
            # The area's own unit stands for the whole area across the reform.
            unit_choices[0] = (
                units[0].code,
                _("%(unit)s (cả các đơn vị trước và sau sắp xếp)")
                % {"unit": units[0].name},
            )
        if scope.org_unit is not None:
            unit_choices = [("", scope.org_unit.name)]
        elif scope.area is None:
            unit_choices = [("", _("Toàn bộ")), *unit_choices]
        if filters.unit and filters.unit not in {c for c, _n in unit_choices}:
            unit_choices.append((filters.unit, filters.unit))
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)  # noqa: S101
        unit_field.choices = unit_choices
        procedures = Procedure.objects.filter(submittable=True).order_by("name")
        procedure_field = self.fields["procedure"]
        assert isinstance(procedure_field, forms.ChoiceField)  # noqa: S101
        procedure_field.choices = [
            ("", _("Tất cả thủ tục")),
            *((p.code or p.key, f"{p.code} {p.name}".strip()) for p in procedures),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "stats-filters"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("start", css_class="col-6 col-md-2"),
                Column("end", css_class="col-6 col-md-2"),
                Column("unit", css_class="col-12 col-md-3"),
                Column("procedure", css_class="col-12 col-md-3"),
                Column("channel", css_class="col-12 col-md-2"),
            ),
            Submit("", _("Xem số liệu"), css_class="btn-primary"),
        )

    def add_prefix(self, field_name: str) -> str:
        # The page's parameters are "from" and "to", as in the API.
        return {"start": "from", "end": "to"}.get(field_name, field_name)
