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
- what the catalogue does not know is "Đang cập nhật".

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

    @property
    def headline(self) -> str:
        """The fee itself, without the exemptions the catalogue announces."""
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
    return fee_shown(base_vnd=amount, exemptions=exemptions)
