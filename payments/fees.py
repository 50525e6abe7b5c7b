"""The fee of a dossier: the procedure's amount for the channel it came by
(online or at the counter), unless an exemption rule applies.

Exemption rules are data: a JSON list in the file PAYMENT_FEE_EXEMPTIONS_FILE
(default payments/data/fee_exemptions.json, reviewed in git with its sources).
A rule applies when every condition it has holds:
- `procedures`: the procedure's national code or key is listed (required);
- `channels`: the dossier's channel is listed (optional);
- `when`: a form-schema condition on the dossier's data ({field, equals} |
  {field, in} | {all: [...]}, as in form schemas; optional);
- `date_field` + `within_days`: the date in that field is at most that many
  calendar days before the submission day (e.g. registered on time; optional).
docs/payments.md describes the format; `manage.py check` reports a broken file.

A fee that depends on the case (`Procedure.fee_basis`, issue 22) is computed
from the dossier: pages and copies, contracts, cases or copies counted by the
officer at the counter (procedures.fees.fee_compute), or the province's dated
table (`ProvinceFee`) with its online amount and the groups it exempts. The
assessment keeps how it was computed, and the receipt prints it.
"""

import datetime
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from procedures import fees as shown
from procedures.schema import schema_condition_holds
from procedures.schema.definitions import lookup

RULE_KEYS = {
    "key",
    "name",
    "name_en",
    "procedures",
    "channels",
    "when",
    "date_field",
    "within_days",
    "source",
    "verified",
}


@dataclass(frozen=True)
class Exemption:
    key: str
    name: str
    name_en: str
    source: str
    procedures: tuple[str, ...]
    channels: tuple[str, ...] = ()
    when: dict[str, Any] | None = None
    date_field: str = ""
    within_days: int | None = None
    verified: bool = False

    def applies(
        self,
        *,
        procedure: Any,
        channel: str,
        data: dict[str, Any],
        on: datetime.date,
    ) -> bool:
        if not ({procedure.code, procedure.key} & set(self.procedures)):
            return False
        if self.channels and channel not in self.channels:
            return False
        if self.when and not schema_condition_holds(self.when, data):
            return False
        if self.date_field:
            raw = lookup(data, self.date_field)
            try:
                day = datetime.date.fromisoformat(str(raw)[:10])
            except ValueError:
                return False
            if not 0 <= (on - day).days <= (self.within_days or 0):
                return False
        return True


class _LinkedPart(Exemption):
    """The part of a linked dossier owes nothing of its own."""

    def applies(self, **kwargs: Any) -> bool:
        return True


# Decree 63/2024: the citizen submits once and pays, per procedure, with the linked
# submission; the parts the agencies' systems open carry no fee of their own.
LINKED_PART = _LinkedPart(
    key="linked_part",
    name="Nộp cùng hồ sơ liên thông",
    name_en="Paid with the linked dossier",
    source="Nghị định 63/2024/NĐ-CP (one submission, fees paid online with it)",
    procedures=(),
    verified=True,
)


def rule_errors(rules: Any) -> list[str]:
    """What is wrong with a list of rules (empty when it is usable)."""
    if not isinstance(rules, list):
        return ["the exemption file must hold a JSON list of rules"]
    errors: list[str] = []
    keys: set[str] = set()
    for number, rule in enumerate(rules, start=1):
        where = f"rule {number}"
        if not isinstance(rule, dict):
            errors.append(f"{where}: not an object")
            continue
        unknown = set(rule) - RULE_KEYS
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        for name in ("key", "name", "source"):
            if not isinstance(rule.get(name), str) or not rule[name].strip():
                errors.append(f"{where}: `{name}` is required text")
        if rule.get("key") in keys:
            errors.append(f"{where}: the key {rule.get('key')!r} is used twice")
        keys.add(str(rule.get("key")))
        procedures = rule.get("procedures")
        if not isinstance(procedures, list) or not procedures:
            errors.append(f"{where}: `procedures` must list codes or keys")
        if ("date_field" in rule) != ("within_days" in rule):
            errors.append(f"{where}: `date_field` and `within_days` go together")
        days = rule.get("within_days", 0)
        if not isinstance(days, int) or days < 0:
            errors.append(f"{where}: `within_days` must be a whole number >= 0")
        when = rule.get("when")
        if when is not None and not isinstance(when, dict):
            errors.append(f"{where}: `when` must be a form-schema condition")
    return errors


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def exemption_rules() -> list[Exemption]:
    """The rules of PAYMENT_FEE_EXEMPTIONS_FILE (no file: no exemptions)."""
    path = Path(settings.PAYMENT_FEE_EXEMPTIONS_FILE)
    if not path.is_file():
        return []
    stat = path.stat()
    return list(_rules_of(str(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _rules_of(path_name: str, _mtime_ns: int, _size: int) -> tuple[Exemption, ...]:
    # Read again whenever the file changes (its time or size), else once: every
    # page that shows a fee asks whether its rule is verified.
    path = Path(path_name)
    rules = _read(path)
    errors = rule_errors(rules)
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    return tuple(
        Exemption(
            key=rule["key"],
            name=rule["name"],
            name_en=rule.get("name_en", ""),
            source=rule["source"],
            procedures=tuple(rule["procedures"]),
            channels=tuple(rule.get("channels", ())),
            when=rule.get("when"),
            date_field=rule.get("date_field", ""),
            within_days=rule.get("within_days"),
            verified=bool(rule.get("verified", False)),
        )
        for rule in rules
    )


@dataclass(frozen=True)
class Assessment:
    base_vnd: int | None  # the procedure's amount for the channel; None = unknown
    amount_vnd: int | None  # what is owed: 0 when exempt; None = unknown
    exemption: Exemption | None
    # How a case-dependent fee was computed (printed on the receipt).
    lines: tuple[str, ...] = ()


# The groups a province's civil-status fee resolution may exempt (the records
# of commune-procedures.md name them: people with merit to the revolution,
# members of poor households, people with disabilities). A dossier names its
# group in the form field EXEMPTION_FIELD; the officer checks the proof.
EXEMPTION_FIELD = "fee_exemption_group"
EXEMPT_GROUPS: dict[str, tuple[str, str]] = {  # keys: models.EXEMPT_GROUP_KEYS
    "nguoi-co-cong": (
        "Người có công với cách mạng",
        "Person with merit to the revolution",
    ),
    "ho-ngheo": ("Thành viên hộ nghèo", "Member of a poor household"),
    "nguoi-khuyet-tat": ("Người khuyết tật", "Person with a disability"),
}
# Exemption keys of a province's table start with this; the table's row was
# verified when the dossier was assessed (an unverified row is never used).
PROVINCE_PREFIX = "tinh:"


def _dong(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def province_fee_on(*, province_id: int, procedure: Any, day: datetime.date) -> Any:
    """The province's fee row for `procedure` in force on `day`, if any."""
    from django.db.models import Q

    from .models import ProvinceFee

    return (
        ProvinceFee.objects.filter(
            province_id=province_id, procedure=procedure, valid_from__lte=day
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def _province_assessment(
    *,
    procedure: Any,
    channel: str,
    data: dict[str, Any],
    on: datetime.date,
    province_id: int | None,
) -> Assessment:
    row = (
        None
        if province_id is None
        else province_fee_on(province_id=province_id, procedure=procedure, day=on)
    )
    if row is None or not row.verified:
        return Assessment(
            base_vnd=None,
            amount_vnd=None,
            exemption=None,
            lines=(
                "Mức lệ phí của tỉnh đang cập nhật: nộp theo mức Bộ phận Một cửa báo.",
            ),
        )
    counter = row.amount_vnd
    amount = counter
    lines = [
        f"Lệ phí theo {row.source} (áp dụng từ {row.valid_from:%d/%m/%Y}): "
        f"{_dong(counter)}"
    ]
    if channel == "online" and row.online_amount_vnd is not None:
        amount = row.online_amount_vnd
        lines.append(
            f"Nộp trực tuyến: {_dong(amount)} (nộp trực tiếp: {_dong(counter)})"
        )
    group = data.get(EXEMPTION_FIELD)
    if amount and group in EXEMPT_GROUPS and group in row.exempt_groups:
        name, name_en = EXEMPT_GROUPS[group]
        lines.append(f"Miễn lệ phí: {name}")
        exemption = Exemption(
            key=f"{PROVINCE_PREFIX}{group}",
            name=name,
            name_en=name_en,
            source=row.source,
            procedures=(),
            verified=True,
        )
        return Assessment(amount, 0, exemption, tuple(lines))
    return Assessment(amount, amount, None, tuple(lines))


def procedure_fee(procedure: Any, channel: str) -> int | None:
    """The catalogue's amount for a channel: online, or the counter's for the
    counter and post."""
    if channel == "online":
        return procedure.fee_online_vnd  # type: ignore[no-any-return]
    return procedure.fee_counter_vnd  # type: ignore[no-any-return]


def fee_assess(
    *,
    procedure: Any,
    channel: str,
    data: dict[str, Any],
    on: datetime.date,
    rules: list[Exemption] | None = None,
    province_id: int | None = None,
) -> Assessment:
    """What a dossier of `procedure` submitted on `on` by `channel` (in the
    province `province_id`) owes."""
    basis = procedure.fee_basis or {}
    lines: tuple[str, ...] = ()
    if basis.get("per") == shown.PER_PROVINCE:
        assessment = _province_assessment(
            procedure=procedure,
            channel=channel,
            data=data,
            on=on,
            province_id=province_id,
        )
        if assessment.exemption is not None:
            return assessment
        base, lines = assessment.base_vnd, assessment.lines
    elif basis:
        computed = shown.fee_compute(basis, data)
        base = computed.amount_vnd if computed else None
        lines = computed.lines if computed else ()
    else:
        base = procedure_fee(procedure, channel)
    for rule in exemption_rules() if rules is None else rules:
        if rule.applies(procedure=procedure, channel=channel, data=data, on=on):
            return Assessment(base, 0, rule, lines)
    return Assessment(base_vnd=base, amount_vnd=base, exemption=None, lines=lines)


# --- What people are shown (procedures.fees decides the text) ----------------------


def rule_verified(key: str) -> bool:
    """Whether the rule is verified today. Looked up when shown, not stored with
    the dossier: a rule confirmed later shows its exemptions as settled, and a
    rule gone from the file is no longer vouched for."""
    if key == LINKED_PART.key or key.startswith(PROVINCE_PREFIX):
        return True
    return any(rule.key == key and rule.verified for rule in exemption_rules())


def catalogue_exemptions(procedure: Any) -> list[shown.Exemption]:
    """The exemptions a dossier of `procedure` may have, for the catalogue."""
    return [
        shown.Exemption(rule.name, rule.name_en, verified=rule.verified)
        for rule in exemption_rules()
        if {procedure.code, procedure.key} & set(rule.procedures)
    ]
