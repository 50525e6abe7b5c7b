"""The dossier's state table: every action, the statuses it may start from, the
status it leads to, and who may do it. One table, read by the transition service,
the API, the pages and the tests (docs/dossier-lifecycle.md shows it)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Dossier, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# Who may act, relative to the dossier.
APPLICANT = "applicant"  # the citizen who filed it
RECEIVING = "receiving"  # a receiving officer of the receiving unit
HANDLER = "handler"  # an officer of the receiving unit or of the processing unit
PROCESSING_LEADER = "processing_leader"  # a leader of the processing unit
PROCESSING = "processing"  # a specialist/officer of the processing unit
# The specialist holding the dossier: a specialist of the processing unit who
# is its assignee, or any of them while nobody is assigned (decision 232).
ASSIGNED_SPECIALIST = "assigned_specialist"
# The applicant online, or a receiving officer of the receiving unit for the
# applicant at the counter (a request to stop, Circular 03/2025 art. 7).
APPLICANT_OR_RECEIVING = "applicant_or_receiving"
# The portal itself, recording what another agency's system did (the parts of a
# linked dossier, docs/linked-chains.md): never a user.
SYSTEM = "system"


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None  # None: the action changes no status (apology, rating)
    actor: str
    label: Promise


OPEN = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.SUPPLEMENT_REQUESTED,
        Status.AWAITING_PAYMENT,
        Status.PROCESSING,
        Status.APPRAISED,
        Status.AWAITING_SIGNATURE,
        Status.SIGNED,
    }
)

# Nothing has been decided yet (no result signed by the leader): a request to
# stop is granted (Circular 03/2025 art. 7: the stop notice, form 05).
NOTHING_DECIDED = frozenset(OPEN - {Status.SIGNED})

# The specialist is still working on it (appraisal and its draft result).
BEING_APPRAISED = frozenset({Status.PROCESSING, Status.APPRAISED})

TRANSITIONS: dict[str, Move] = {
    "receive": Move(
        frozenset({Status.SUBMITTED}), Status.RECEIVED, RECEIVING, _("Tiếp nhận")
    ),
    "request_supplement": Move(
        frozenset({Status.RECEIVED, *BEING_APPRAISED}),
        Status.SUPPLEMENT_REQUESTED,
        HANDLER,
        _("Yêu cầu bổ sung"),
    ),
    "supplement": Move(
        frozenset({Status.SUPPLEMENT_REQUESTED}),
        Status.RECEIVED,
        APPLICANT,
        _("Nộp bổ sung"),
    ),
    "request_payment": Move(
        frozenset({Status.RECEIVED}),
        Status.AWAITING_PAYMENT,
        RECEIVING,
        _("Yêu cầu nộp phí"),
    ),
    "confirm_payment": Move(
        frozenset({Status.AWAITING_PAYMENT}),
        Status.RECEIVED,
        RECEIVING,
        _("Xác nhận đã nộp phí"),
    ),
    "forward": Move(
        frozenset({Status.RECEIVED}),
        Status.PROCESSING,
        RECEIVING,
        _("Chuyển xử lý"),
    ),
    # The practice of processing (issue 18, docs/decisions.md 230-233): the
    # specialist appraises and drafts the result (again, to replace the draft),
    # submits it for signature; the leader signs it or sends it back with a
    # reason; the one-stop unit issues it (signed by the agency) and returns it.
    "appraise": Move(
        BEING_APPRAISED, Status.APPRAISED, ASSIGNED_SPECIALIST, _("Thẩm định")
    ),
    "submit_for_signature": Move(
        frozenset({Status.APPRAISED}),
        Status.AWAITING_SIGNATURE,
        ASSIGNED_SPECIALIST,
        _("Trình ký"),
    ),
    "sign": Move(
        frozenset({Status.AWAITING_SIGNATURE}),
        Status.SIGNED,
        PROCESSING_LEADER,
        _("Ký duyệt"),
    ),
    "send_back": Move(
        frozenset({Status.AWAITING_SIGNATURE}),
        Status.PROCESSING,
        PROCESSING_LEADER,
        _("Trả lại chuyên viên"),
    ),
    "issue_result": Move(
        frozenset({Status.SIGNED}),
        Status.RESULT_READY,
        RECEIVING,
        _("Phát hành kết quả"),
    ),
    "return_result": Move(
        frozenset({Status.RESULT_READY}),
        Status.RETURNED,
        RECEIVING,
        _("Trả kết quả"),
    ),
    "refuse": Move(
        frozenset(
            {
                Status.SUBMITTED,
                Status.RECEIVED,
                Status.SUPPLEMENT_REQUESTED,
                *BEING_APPRAISED,
                Status.AWAITING_SIGNATURE,
            }
        ),
        Status.REFUSED,
        HANDLER,
        _("Từ chối"),
    ),
    "withdraw": Move(
        frozenset(
            {
                Status.SUBMITTED,
                Status.RECEIVED,
                Status.SUPPLEMENT_REQUESTED,
                Status.AWAITING_PAYMENT,
                *BEING_APPRAISED,
                Status.AWAITING_SIGNATURE,
            }
        ),
        Status.WITHDRAWN,
        APPLICANT,
        _("Rút hồ sơ"),
    ),
    "stop": Move(
        frozenset({Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT}),
        Status.STOPPED,
        RECEIVING,
        _("Dừng xử lý"),
    ),
    "stop_on_request": Move(
        NOTHING_DECIDED,
        Status.STOPPED,
        APPLICANT_OR_RECEIVING,
        _("Dừng giải quyết theo đề nghị của người nộp"),
    ),
    "apologize": Move(
        frozenset(OPEN - {Status.SUBMITTED}),
        None,
        HANDLER,
        _("Xin lỗi và hẹn lại ngày trả"),
    ),
    "rate": Move(frozenset({Status.RETURNED}), None, APPLICANT, _("Đánh giá")),
    # --- Linked dossiers: the result another agency's system issued (chains).
    "record_result": Move(
        frozenset(
            {
                Status.RECEIVED,
                *BEING_APPRAISED,
                Status.AWAITING_SIGNATURE,
                Status.SIGNED,
            }
        ),
        Status.RESULT_READY,
        SYSTEM,
        _("Ghi nhận kết quả từ hệ thống của cơ quan"),
    ),
}

# The permission an officer needs, by kind of actor.
_PERMISSIONS = {
    RECEIVING: "dossiers.receive_dossier",
    PROCESSING: "dossiers.process_dossier",
    ASSIGNED_SPECIALIST: "dossiers.process_dossier",
    PROCESSING_LEADER: "dossiers.approve_dossier",
}


def may_act(user: "User | AnonymousUser", dossier: Dossier, action: str) -> bool:
    """Whether `user` may do `action` on `dossier` (whatever its status).

    Officers act only for their own unit: the receiving unit for receipt and
    return, the processing unit (or the receiving unit when the dossier has not
    been forwarded) for processing. A member of the community digital technology
    team never decides anything.
    """
    actor = TRANSITIONS[action].actor
    if actor == SYSTEM:
        return False
    if actor == APPLICANT:
        return getattr(user, "pk", None) == dossier.applicant_id
    if actor == APPLICANT_OR_RECEIVING:
        if getattr(user, "pk", None) == dossier.applicant_id:
            return True
        actor = RECEIVING
    unit_id = getattr(user, "org_unit_id", None)
    if unit_id is None or not getattr(user, "is_active", False):
        return False
    processing_unit_id = dossier.processing_unit_id or dossier.receiving_unit_id
    has = user.has_perm
    if actor == RECEIVING:
        return unit_id == dossier.receiving_unit_id and has(_PERMISSIONS[RECEIVING])
    if actor == PROCESSING:
        return unit_id == processing_unit_id and (
            has(_PERMISSIONS[PROCESSING]) or has(_PERMISSIONS[RECEIVING])
        )
    if actor == ASSIGNED_SPECIALIST:
        return (
            unit_id == processing_unit_id
            and has(_PERMISSIONS[ASSIGNED_SPECIALIST])
            and dossier.assignee_id in (None, user.pk)
        )
    if actor == PROCESSING_LEADER:
        return unit_id == processing_unit_id and has(_PERMISSIONS[PROCESSING_LEADER])
    # HANDLER: anyone who may receive at the receiving unit, or process or decide
    # at the processing unit.
    return (unit_id == dossier.receiving_unit_id and has(_PERMISSIONS[RECEIVING])) or (
        unit_id == processing_unit_id
        and (has(_PERMISSIONS[PROCESSING]) or has(_PERMISSIONS[PROCESSING_LEADER]))
    )


def available_actions(user: "User | AnonymousUser", dossier: Dossier) -> list[str]:
    """Actions `user` may do now, for the buttons of a page."""
    return [
        action
        for action, move in TRANSITIONS.items()
        if dossier.status in move.sources and may_act(user, dossier, action)
    ]
