from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class CashForm(forms.Form):
    """Cash taken at the counter: the amount is the dossier's fee, not typed."""

    seen_amount = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    paper_receipt = forms.CharField(
        label=_("Số biên lai giấy (nếu có)"), max_length=40, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
