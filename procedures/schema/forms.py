"""`schema_form_class`: a Django form (with its crispy layout) built from a schema.

The form's fields only carry the submitted text; `clean()` hands everything to
`schema_clean`, so the web form and the API accept and refuse exactly the same
data.
"""

import json
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .cleaning import schema_clean
from .definitions import person_fields, pick, section_fields, sections
from .describe import condition_hint, field_labels


class RawField(forms.Field):
    """Passes the submitted value through; `schema_clean` is the validator.

    `required` is kept for the label's asterisk only: a field hidden by a
    condition is not required, which only the schema knows.
    """

    def validate(self, value: Any) -> None:
        return None


def _admin_unit_choices(parent_code: str) -> list[tuple[str, str]]:
    from units.models import AdminUnit
    from units.selectors import valid_on_q

    today = timezone.localdate()
    units = AdminUnit.objects.filter(valid_on_q(today))
    parents = list(units.filter(code=parent_code).values_list("path", flat=True))
    choices: list[tuple[str, str]] = []
    for path in parents:
        below = units.filter(path__startswith=path).exclude(path=path)
        choices += [(u.code, f"{u.name} ({u.code})") for u in below.order_by("path")]
    return choices


def _widget(field: dict[str, Any]) -> forms.Widget:
    kind = field["type"]
    empty = [("", _("— Chọn —"))]
    if kind == "textarea":
        return forms.Textarea(attrs={"rows": 3})
    if kind == "date":
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if kind == "number":
        return forms.TextInput(attrs={"inputmode": "decimal"})
    if kind == "personal_id":
        return forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "14"}
        )
    if kind == "phone":
        return forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}
        )
    if kind == "email":
        return forms.EmailInput(attrs={"autocomplete": "email"})
    if kind == "select":
        return forms.Select(
            choices=empty + [(c["value"], pick(c["label"])) for c in field["choices"]]
        )
    if kind == "yesno":
        return forms.RadioSelect(choices=[("yes", _("Có")), ("no", _("Không"))])
    if kind == "admin_unit":
        if field.get("parent"):
            return forms.Select(choices=empty + _admin_unit_choices(field["parent"]))
        return forms.TextInput(attrs={"inputmode": "numeric"})
    return forms.TextInput()


def _help(field: dict[str, Any], labels: dict[str, str], schema: dict[str, Any]) -> str:
    parts = [pick(field.get("help"))]
    if field.get("show_if"):
        parts.append(condition_hint(schema, field["show_if"], labels))
    if field["type"] == "admin_unit" and not field.get("parent"):
        parts.append(_("Nhập mã đơn vị hành chính cấp xã (5 chữ số)."))
    return " ".join(part for part in parts if part)


def _form_field(
    field: dict[str, Any], help_text: str, *, required: bool
) -> forms.Field:
    label = pick(field["label"])
    if field["type"] == "file":
        return forms.FileField(label=label, required=False, help_text=help_text)
    widget = _widget(field)
    if required and not isinstance(widget, forms.RadioSelect):
        # Screen readers announce what the asterisk shows.
        widget.attrs["aria-required"] = "true"
    return RawField(label=label, required=required, widget=widget, help_text=help_text)


def _wrap(name: str, field: dict[str, Any]) -> Any:
    if not field.get("show_if"):
        return name
    # Progressive enhancement: procedures/js/schema-form.js hides the field
    # while its condition does not hold; without JavaScript the help says when.
    return Div(name, data_show_if=json.dumps(field["show_if"]))


class SchemaForm(forms.Form):
    schema: dict[str, Any] = {}
    section: str | None = None
    include_files = True
    # Browsers must not block hidden conditional fields: the server decides.
    use_required_attribute = False

    def __init__(
        self, *args: Any, known_data: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.known_data = known_data or {}
        self.schema_data: dict[str, Any] = {}
        self.file_fields: list[str] = []
        labels = field_labels(self.schema)
        layout: list[Any] = []
        for part in sections(self.schema):
            if self.section is not None and part["key"] != self.section:
                continue
            items: list[Any] = []
            for field in section_fields(part):
                if field["type"] == "person":
                    block_items = []
                    for sub in person_fields(field):
                        name = f"{field['name']}.{sub['name']}"
                        self.fields[name] = _form_field(
                            sub,
                            _help(sub, labels, self.schema),
                            required=bool(sub.get("required")),
                        )
                        block_items.append(_wrap(name, sub))
                    legend = pick(field["label"])
                    block: Any = Fieldset(
                        legend, *block_items, css_class="person-block"
                    )
                    if field.get("help") or field.get("show_if"):
                        note = _help(field, labels, self.schema)
                        block = Fieldset(
                            legend,
                            HTML(format_html('<p class="form-text">{}</p>', note)),
                            *block_items,
                            css_class="person-block",
                        )
                    items.append(
                        Div(block, data_show_if=json.dumps(field["show_if"]))
                        if field.get("show_if")
                        else block
                    )
                    continue
                name = field["name"]
                if field["type"] == "file" and not self.include_files:
                    continue
                self.fields[name] = _form_field(
                    field,
                    _help(field, labels, self.schema),
                    required=bool(field.get("required")),
                )
                if field["type"] == "file":
                    self.file_fields.append(name)
                items.append(_wrap(name, field))
            if self.section is not None:
                layout += items
            elif part.get("show_if"):
                note = condition_hint(self.schema, part["show_if"], labels)
                fieldset = Fieldset(
                    pick(part["title"]),
                    HTML(format_html('<p class="form-text">{}</p>', note)),
                    *items,
                )
                layout.append(Div(fieldset, data_show_if=json.dumps(part["show_if"])))
            else:
                layout.append(Fieldset(pick(part["title"]), *items))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout)

    def clean(self) -> dict[str, Any]:
        raw = {
            name: value
            for name, value in (self.cleaned_data or {}).items()
            if name not in self.file_fields
        }
        merged = {**self.known_data, **raw}
        cleaned, errors = schema_clean(self.schema, merged, section=self.section)
        for name, messages in errors.items():
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
            else:
                for message in messages:
                    self.add_error(None, f"{name}: {message}")
        self.schema_data = cleaned
        return self.cleaned_data


def schema_form_class(
    schema: dict[str, Any], *, section: str | None = None, include_files: bool = True
) -> type[SchemaForm]:
    """A form for the whole schema, or for one section (one wizard page).

    Instances take `known_data` (earlier pages' data) for conditions; after
    `is_valid()`, `form.schema_data` holds the cleaned data of `schema_clean`.
    Without `include_files`, file fields are left out (e.g. a preview).
    """
    attrs = {
        "schema": schema,
        "section": section,
        "include_files": include_files,
        "__module__": __name__,
    }
    return type("SchemaForm", (SchemaForm,), attrs)
