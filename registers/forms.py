from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import RegisterKind


class RegisterSearchForm(forms.Form):
    """The officer's search of their agency's registers (GET)."""

    q = forms.CharField(
        label=_("Số, họ tên hoặc mã hồ sơ"),
        max_length=100,
        required=False,
    )
    year = forms.TypedChoiceField(
        label=_("Năm"), coerce=int, required=False, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Loại sổ"),
        choices=[("", _("Tất cả các sổ")), *RegisterKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", _("Tất cả các năm")),
            *((year, str(year)) for year in range(this_year, this_year - 10, -1)),
        ]
