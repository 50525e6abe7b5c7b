"""The appointment calculator."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models import Procedure

from .fields import DATE_WIDGET, ProcedureChoiceField

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
