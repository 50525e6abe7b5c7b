"""What fee people are shown, decided in one place: the catalogue's list, search
and procedure page, the dossier pages, the APIs and the payment panels all ask
`fee_shown` (issue 15: search said "Đang cập nhật" where the dossier said
"Miễn phí").

- an amount is shown only when the catalogue knows it (a number in the reviewed
  data); 0 is "Miễn phí";
- an exemption shows "Miễn phí" with its reason only when its rule is verified:
  a dossier exempted by an unverified rule owes nothing, but people read
  "Đang cập nhật", as in the catalogue (house rule: an unverified fact is never
  shown as settled);
- the part of a linked dossier owes nothing of its own: "Nộp cùng hồ sơ liên
  thông";
- what the catalogue does not know is "Đang cập nhật";
- a fee that depends on the case (`Procedure.fee_basis`: per page with a cap
  per copy, per contract, per case, per copy, or the province's table) shows
  its rule ("2.000 đồng/trang ...") in the catalogue, and a dossier shows the
  amount computed from its counts, with the computation (`fee_compute`). A
  rule the records do not confirm (`"verified": false`) is "Đang cập nhật".

Exemption rules live with the payments (their data file); the catalogue names
the verified ones that may apply to a procedure through `exemptions_provider`,
which the payments app fills in its AppConfig.ready(), so that the catalogue
imports nothing above it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

AMOUNT = "amount"  # a known amount to pay
FREE = "free"  # the procedure charges nothing
EXEMPT = "exempt"  # exempt by a verified rule
LINKED = "linked"  # part of a linked dossier: paid with the linked dossier
CASE = "case"  # depends on the case: the catalogue shows the rule
UNKNOWN = "unknown"  # being updated


@dataclass(frozen=True)
class Exemption:
    """An exemption rule as people read it."""

    name: str
    name_en: str = ""
    verified: bool = False

    def __str__(self) -> str:
        english = (get_language() or "vi").startswith("en")
        return self.name_en if english and self.name_en else self.name


def vnd(amount: int) -> str:
    """10000 → "10.000 đồng" (Vietnamese) or "VND 10,000"."""
    grouped = f"{amount:,}"
    if (get_language() or "vi").startswith("vi"):
        grouped = grouped.replace(",", ".")
    return _("%(amount)s đồng") % {"amount": grouped}


@dataclass(frozen=True)
class Fee:
    """The fee people are shown. `str(fee)` is its text in the page's language;
    `kind` and `amount_vnd` are for code (the amount to pay, 0 when nothing is
    owed, None when not known)."""

    kind: str
    amount_vnd: int | None
    exemption: Exemption | None = None
    # The verified exemptions a procedure's dossier may have (catalogue only).
    exemptions: tuple[Exemption, ...] = ()
    # How a fee that depends on the case is computed (kind CASE).
    rule: str = ""

    @property
    def headline(self) -> str:
        """The fee itself, without the exemptions the catalogue announces."""
        if self.kind == CASE:
            return self.rule
        if self.kind == AMOUNT and self.amount_vnd is not None:
            return vnd(self.amount_vnd)
        if self.kind == FREE:
            return _("Miễn phí")
        if self.kind == EXEMPT and self.exemption is not None:
            return _("Miễn phí: %(reason)s") % {"reason": self.exemption}
        if self.kind == LINKED:
            return _("Nộp cùng hồ sơ liên thông")
        return _("Đang cập nhật")

    @property
    def text(self) -> str:
        if not self.exemptions:
            return self.headline
        return _("%(fee)s (miễn phí khi: %(reasons)s)") % {
            "fee": self.headline,
            "reasons": "; ".join(str(e) for e in self.exemptions),
        }

    @property
    def known(self) -> bool:
        return self.kind != UNKNOWN

    def __str__(self) -> str:
        return self.text


def fee_shown(
    *,
    base_vnd: int | None,
    exemption: Exemption | None = None,
    linked_part: bool = False,
    exemptions: tuple[Exemption, ...] = (),
) -> Fee:
    """The one decision of what fee people see.

    `base_vnd` is the procedure's amount for the channel (None: not known);
    `exemption` the rule that exempts a dossier; `linked_part` a part of a
    linked dossier; `exemptions` the verified rules the catalogue names beside
    the amount.
    """
    if base_vnd == 0:
        return Fee(FREE, 0)
    if linked_part:
        return Fee(LINKED, 0)
    if exemption is not None:
        if exemption.verified:
            return Fee(EXEMPT, 0, exemption=exemption)
        return Fee(UNKNOWN, None)
    if base_vnd is None:
        return Fee(UNKNOWN, None, exemptions=exemptions)
    return Fee(AMOUNT, base_vnd, exemptions=exemptions)


# --- The catalogue ----------------------------------------------------------------

ExemptionsOf = Callable[[Any], list[Exemption]]
_providers: list[ExemptionsOf] = []


def exemptions_provider(provider: ExemptionsOf) -> ExemptionsOf:
    """Register `provider(procedure) -> exemptions that may apply`."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def procedure_fee(procedure: Any, channel: str = "online") -> Fee:
    """What the catalogue shows for a procedure filed by `channel` (online: the
    portal's channel; counter and post pay the counter's amount)."""
    amount = (
        procedure.fee_online_vnd if channel == "online" else procedure.fee_counter_vnd
    )
    exemptions = tuple(
        exemption
        for provider in list(_providers)
        for exemption in provider(procedure)
        if exemption.verified
    )
    basis = procedure.fee_basis or {}
    if basis:
        if basis.get("per") != PER_PROVINCE and not basis.get("verified"):
            return Fee(UNKNOWN, None, exemptions=exemptions)
        return Fee(CASE, None, exemptions=exemptions, rule=fee_basis_text(basis))
    return fee_shown(base_vnd=amount, exemptions=exemptions)


# --- Fees that depend on the case ---------------------------------------------------
#
# `Procedure.fee_basis` (empty: the fixed amounts of the procedure):
#   {"per": "page", "first_pages": 2, "first_rate_vnd": 2000, "then_rate_vnd": 1000,
#    "cap_per_copy_vnd": 200000, "verified": true}
#       counts from the dossier's `page_count` and `copy_count` (TT 226/2016);
#   {"per": "contract" | "case" | "copy", "rate_vnd": 50000,
#    "count_field": "contract_count", "verified": true}
#       the rate times the count in the dossier's `count_field`;
#   {"per": "province"}
#       the province's dated fee table (payments.ProvinceFee): the law leaves
#       civil-status fees to the provincial People's Council (TT 85/2019).

PER_PAGE = "page"
PER_CONTRACT = "contract"
PER_CASE = "case"
PER_COPY = "copy"
PER_PROVINCE = "province"
PER_UNIT = (PER_CONTRACT, PER_CASE, PER_COPY)
PAGE_COUNT = "page_count"
COPY_COUNT = "copy_count"
_PAGE_KEYS = {"first_pages", "first_rate_vnd", "then_rate_vnd", "cap_per_copy_vnd"}
_UNIT_KEYS = {"rate_vnd", "count_field"}


def fee_basis_errors(basis: Any) -> list[str]:
    """What is wrong with a procedure's `fee_basis` (empty when usable)."""
    if basis in ({}, None):
        return []
    if not isinstance(basis, dict):
        return [_("Cách tính phí phải là một đối tượng JSON.")]
    per = basis.get("per")
    allowed = {"per", "verified"}
    if per == PER_PAGE:
        allowed |= _PAGE_KEYS
    elif per in PER_UNIT:
        allowed |= _UNIT_KEYS
    elif per != PER_PROVINCE:
        return [
            _("Cách tính phí “per” phải là page, contract, case, copy hoặc province.")
        ]
    errors = []
    unknown = sorted(set(basis) - allowed)
    if unknown:
        errors.append(
            _("Cách tính phí có khóa không dùng được: %(keys)s.")
            % {"keys": ", ".join(unknown)}
        )
    needed = _PAGE_KEYS if per == PER_PAGE else _UNIT_KEYS if per in PER_UNIT else ()
    for key in sorted(needed):
        value = basis.get(key)
        if key == "count_field":
            if not isinstance(value, str) or not value:
                errors.append(_("Cách tính phí cần “count_field”."))
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append(
                _("Cách tính phí: “%(key)s” phải là số nguyên không âm.") % {"key": key}
            )
    if "verified" in basis and not isinstance(basis["verified"], bool):
        errors.append(_("Cách tính phí: “verified” là true hoặc false."))
    return errors


def fee_basis_text(basis: dict[str, Any]) -> str:
    """The rule in words, for the catalogue."""
    per = basis.get("per")
    if per == PER_PAGE:
        return _(
            "%(first)s/trang với %(pages)s trang đầu, %(then)s/trang từ trang thứ "
            "%(next)s, tối đa %(cap)s/bản"
        ) % {
            "first": vnd(basis["first_rate_vnd"]),
            "pages": basis["first_pages"],
            "then": vnd(basis["then_rate_vnd"]),
            "next": basis["first_pages"] + 1,
            "cap": vnd(basis["cap_per_copy_vnd"]),
        }
    if per == PER_CONTRACT:
        return _("%(rate)s/hợp đồng, giao dịch") % {"rate": vnd(basis["rate_vnd"])}
    if per == PER_CASE:
        return _("%(rate)s/trường hợp") % {"rate": vnd(basis["rate_vnd"])}
    if per == PER_COPY:
        return _("%(rate)s/bản") % {"rate": vnd(basis["rate_vnd"])}
    return _("Theo mức lệ phí của tỉnh, thành phố nơi nộp hồ sơ")


def copy_certification_fee(
    *,
    pages: int,
    copies: int,
    first_pages: int = 2,
    first_rate_vnd: int = 2000,
    then_rate_vnd: int = 1000,
    cap_per_copy_vnd: int = 200_000,
) -> int:
    """The fee for certifying `copies` copies of a `pages`-page original:
    per copy, the first pages at one rate and the rest at another, capped."""
    first = min(pages, first_pages)
    per_copy = first * first_rate_vnd + (pages - first) * then_rate_vnd
    return copies * min(per_copy, cap_per_copy_vnd)


@dataclass(frozen=True)
class Computation:
    """An amount computed from a dossier's counts, and how (Vietnamese lines,
    as the receipt prints them)."""

    amount_vnd: int
    lines: tuple[str, ...]


def _count(data: dict[str, Any], name: str) -> int | None:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = int(value)
    return number if number == value and number >= 1 else None


def _dong(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def fee_compute(basis: dict[str, Any], data: dict[str, Any]) -> Computation | None:
    """The amount a dossier owes under a per-page or per-unit rule, from the
    counts in its data; None when the rule is not confirmed by the records or
    the counts are missing (the officer enters them at the counter)."""
    per = basis.get("per")
    if not basis.get("verified") or per not in (PER_PAGE, *PER_UNIT):
        return None
    if per == PER_PAGE:
        pages, copies = _count(data, PAGE_COUNT), _count(data, COPY_COUNT)
        if pages is None or copies is None:
            return None
        first = min(pages, basis["first_pages"])
        rest = pages - first
        per_copy = first * basis["first_rate_vnd"] + rest * basis["then_rate_vnd"]
        capped = min(per_copy, basis["cap_per_copy_vnd"])
        amount = copies * capped
        formula = f"{first} trang × {_dong(basis['first_rate_vnd'])}"
        if rest:
            formula += f" + {rest} trang × {_dong(basis['then_rate_vnd'])}"
        lines = [f"Mỗi bản ({pages} trang): {formula} = {_dong(per_copy)}"]
        if capped < per_copy:
            lines.append(f"Tối đa {_dong(basis['cap_per_copy_vnd'])}/bản")
        lines.append(f"{copies} bản × {_dong(capped)} = {_dong(amount)}")
        return Computation(amount, tuple(lines))
    count = _count(data, basis["count_field"])
    if count is None:
        return None
    unit = {
        PER_CONTRACT: "hợp đồng, giao dịch",
        PER_CASE: "trường hợp",
        PER_COPY: "bản",
    }[per]
    amount = count * basis["rate_vnd"]
    return Computation(
        amount, (f"{count} {unit} × {_dong(basis['rate_vnd'])} = {_dong(amount)}",)
    )
