"""The fields and helpers the officer forms share: procedures, units and officers
to choose, a date widget, the personal identification number.
"""

from collections.abc import Iterator
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import personal_id_errors
from accounts.models import User
from procedures.text import normalize
from units.models import AdminUnit, OrgUnit, OrgUnitKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def no_tag_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ProcedureChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})" if obj.code else str(obj.name)


# Inside a place's group, the centre or people's committee first, then the
# offices, the police, the district offices ... (the order of OrgUnitKind).
_KIND_ORDER = {kind: index for index, kind in enumerate(OrgUnitKind.values)}


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
                        _KIND_ORDER.get(u.kind, 99),
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


def personal_id_clean(value: Any) -> str:
    number = "".join(str(value or "").split())
    errors = personal_id_errors(number)
    if errors:
        raise ValidationError(errors)
    return number
