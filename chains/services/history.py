"""The citizen-visible history of a chain: one line of the linked dossier's
timeline per event of a step, and the citizen's notification of the ones that
ask something of them or end something."""

import datetime
from typing import Any

from django.utils.translation import gettext_noop

from dossiers.services import dossier_event_add

from ..models import ChainRun, ChainStep

LABELS = {
    "started": gettext_noop("Bước liên thông được chuyển đến cơ quan"),
    "waiting_officer": gettext_noop("Bước liên thông chờ cán bộ xem xét"),
    "done": gettext_noop("Bước liên thông đã có kết quả"),
    "retry": gettext_noop("Hệ thống của cơ quan chưa phản hồi, Cổng sẽ thử lại"),
    "failed": gettext_noop("Bước liên thông chậm do lỗi kết nối, cán bộ đang xử lý"),
    "refused": gettext_noop("Bước liên thông bị từ chối"),
    "supplement": gettext_noop("Cơ quan yêu cầu bổ sung cho bước liên thông"),
    "resubmitted": gettext_noop("Người nộp đã sửa và nộp lại bước liên thông"),
    "retried": gettext_noop("Cán bộ chuyển lại bước liên thông"),
    "completed": gettext_noop("Đã xong tất cả các bước liên thông"),
    "cancelled": gettext_noop("Các bước liên thông còn lại đã dừng"),
    "handoff_late": gettext_noop(
        "Chuyển giữa các hệ thống quá hạn (Nghị định 63/2024, Điều 7)"
    ),
}


def history(
    run: ChainRun,
    what: str,
    *,
    step: ChainStep | None = None,
    note: str = "",
    public: bool = True,
    now: datetime.datetime | None = None,
) -> None:
    """One line of the linked dossier's timeline about the chain, and the
    notification hook for the citizen."""
    details: dict[str, Any] = {"label": LABELS[what], "chain": what}
    if step is not None:
        details |= {"step": step.order, "state": step.state}
        head = f"{step.order}. {step.procedure.name} · {step.org_unit.name}"
        note = f"{head}. {note}" if note else head
    dossier_event_add(
        dossier=run.dossier,
        action="chain_step",
        note=note,
        details=details,
        public=public,
        now=now,
    )
    if public:
        notify_citizen(run=run, step=step, what=what, note=note)


# What the citizen hears about by notification (the other lines stay on the
# dossier's timeline only: retries and officers' internal steps would be noise).
NOTIFIED = {"done", "refused", "supplement", "failed", "completed", "cancelled"}


def notify_citizen(
    *, run: ChainRun, step: ChainStep | None, what: str, note: str = ""
) -> None:
    """Tell the applicant about a step of their linked dossier, once per event
    (notifications.notify deduplicates and sends after commit)."""
    if what not in NOTIFIED:
        return
    from notifications.services import notify

    dossier = run.dossier
    key = f"chain-{run.pk}-{what}"
    if step is not None:
        key += f"-{step.order}-r{step.revision}-a{step.attempts}"
    notify(
        recipient=dossier.applicant,
        event_key=f"chain.{what}",
        template="chain_step",
        context={
            "code": dossier.code,
            "label": LABELS[what],
            "procedure_name": dossier.procedure.name,
            "procedure_name_en": dossier.procedure.name_en,
            "step_name": step.procedure.name if step is not None else "",
            "agency": step.org_unit.name if step is not None else "",
            "note": note if what in {"refused", "supplement"} else "",
        },
        dedup_key=key,
        url=dossier.get_absolute_url(),
    )
