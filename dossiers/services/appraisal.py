"""Processing as officers practise it (issue 18): the specialist appraises the
dossier and drafts its result, submits it for signature; the leader signs it or
sends it back with a reason; the one-stop unit issues the signed-off result
(through the issue functions of `results.py`, which sign it with the agency's
certificate). docs/dossier-lifecycle.md shows the table; decisions 230-235.
"""

import datetime
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..certified_copy import CopyStatement, NotAScan, certified_copy_pdf
from ..files import (
    DiskFull,
    check_upload,
    file_store,
    files_removed_on_failure,
    safe_name,
)
from ..models import Dossier, Origin, ResultDraft
from ..transactions import atomic_retrying
from .core import move_check, status_check, transition_apply
from .errors import DossierError, storage_full
from .results import dossier_issue_generated_result, dossier_issue_result

if TYPE_CHECKING:
    from accounts.models import User


def result_title_suggested(dossier: Dossier) -> str:
    """The title of the dossier's draft, when appraised again; else the result's
    name as the procedure lists it ("Giấy khai sinh"); or ""."""
    draft = ResultDraft.objects.filter(dossier=dossier).only("title").first()
    if draft is not None:
        return draft.title
    first_line = dossier.procedure.result_documents.split("\n", 1)[0]
    name = first_line.split("(", 1)[0].split(";", 1)[0].strip()
    return name if len(name) <= 120 else ""


def _draft_inputs_check(
    *, title: str, file: UploadedFile[bytes] | None, generate: bool
) -> None:
    if not title.strip():
        raise DossierError(_("Hãy nhập tên kết quả (ví dụ: Giấy khai sinh)."))
    if file is None and not generate:
        raise DossierError(
            _(
                "Hãy tải lên dự thảo kết quả (tệp PDF) hoặc chọn tạo văn bản từ dữ "
                "liệu hồ sơ."
            )
        )
    if file is not None and generate:
        raise DossierError(
            _(
                "Chỉ chọn một cách: tải lên dự thảo kết quả hoặc tạo văn bản từ dữ "
                "liệu hồ sơ."
            )
        )
    if file is not None and check_upload(file).content_type != "application/pdf":
        # The agency signs a PDF (decision 251): a photo cannot be signed.
        raise DossierError(
            _(
                "Dự thảo kết quả phải là tệp PDF để cơ quan ký số khi phát hành. Hãy "
                "chuyển ảnh chụp thành tệp PDF rồi tải lên lại."
            )
        )


@files_removed_on_failure
@atomic_retrying
def dossier_appraise(
    *,
    dossier: Dossier,
    actor: "User",
    title: str,
    file: UploadedFile[bytes] | None = None,
    generate: bool = False,
    note: str = "",
    now: datetime.datetime | None = None,
    details: dict[str, Any] | None = None,
) -> Dossier:
    """The specialist appraises the dossier and drafts its result: an uploaded
    PDF, or (`generate`) one generated from the dossier's data when it is
    issued. Appraising again replaces the draft. The specialist who appraises
    an unassigned dossier holds it from then on. `details` go on the event
    (a certified copy's: who compared the original, the scan's pages)."""
    _draft_inputs_check(title=title, file=file, generate=generate)
    now = now or timezone.now()

    def change(d: Dossier) -> None:
        if d.assignee_id is None:
            d.assignee = actor

    event = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=Origin.OFFICER,
        action="appraise",
        note=note.strip(),
        change=change,
        details={"title": title.strip(), "generate": generate, **(details or {})},
        now=now,
    )
    draft = ResultDraft.objects.filter(dossier=dossier).first() or ResultDraft(
        dossier=event.dossier
    )
    old_file = draft.file.name if draft.file else ""
    draft.title = title.strip()
    draft.generate = generate
    draft.appraised_by = actor
    draft.appraised_at = now
    draft.original_name = ""
    draft.file = ""
    if file is not None:
        draft.original_name = safe_name(file.name or "du-thao.pdf")
        file.seek(0)
        try:
            file_store(draft.file, f"{secrets.token_hex(16)}.pdf", file)
        except DiskFull as exc:
            raise storage_full(draft.original_name) from exc
    draft.save()
    if old_file:
        storage = draft.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return event.dossier


def certified_copy_title(dossier: Dossier) -> str:
    """ "Bản sao chứng thực: Bằng tốt nghiệp ...": the certified copy's name, from
    the paper the form names; printed in Vietnamese, whatever the officer's
    language."""
    data = dossier.data if isinstance(dossier.data, dict) else {}
    name = str(data.get("document_name") or "").strip()[:200]
    return f"Bản sao chứng thực: {name or 'giấy tờ, văn bản'}"


def dossier_certify_copy(
    *,
    dossier: Dossier,
    actor: "User",
    scan: UploadedFile[bytes] | None,
    original_seen: bool,
    copies: int | None = None,
    title: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Certify a copy electronically (chứng thực bản sao điện tử từ bản chính):
    the officer compared the original the citizen showed at the counter with its
    scan (a PDF, or a photo), and the scan with a certification statement becomes
    the draft result. Then as every draft: submitted, signed off, issued (the
    certification register's number stamped on it, the agency's signature over
    the whole file) and returned. Only for procedures that certify copies, and
    only once the original was seen: a copy is never certified from a scan alone."""
    move_check(dossier, actor, "appraise")
    if not dossier.procedure.certifies_copies:
        raise DossierError(_("Thủ tục này không phải chứng thực bản sao từ bản chính."))
    if not original_seen:
        raise DossierError(
            _(
                "Chỉ chứng thực khi đã đối chiếu bản chụp với bản chính do người "
                "yêu cầu xuất trình. Hãy đối chiếu rồi đánh dấu ô xác nhận."
            )
        )
    if scan is None:
        raise DossierError(
            _("Hãy tải lên bản chụp của bản chính (tệp PDF, JPG hoặc PNG).")
        )
    checked = check_upload(scan)
    now = now or timezone.now()
    data = dossier.data if isinstance(dossier.data, dict) else {}
    document_name = str(data.get("document_name") or "").strip()[:200]
    if copies is None and isinstance(data.get("copy_count"), int):
        copies = data["copy_count"]  # as the citizen asked, unless the officer says
    if copies is not None and copies < 1:
        raise DossierError(_("Số bản sao phải từ 1 trở lên."))

    statement = CopyStatement(
        # The agency that issues (and signs) the result.
        agency=(dossier.processing_unit or dossier.receiving_unit).name,
        document_name=document_name,
        applicant=dossier.applicant.full_name,
        officer=actor.full_name or actor.get_username(),
        seen_at=now,
        copies=copies,
    )
    scan.seek(0)
    try:
        content, pages = certified_copy_pdf(
            scan=scan.read(), content_type=checked.content_type, statement=statement
        )
    except NotAScan as exc:
        raise DossierError(
            _(
                "Không đọc được bản chụp (tệp hỏng hoặc có mật khẩu). Hãy chụp "
                "hoặc quét lại bản chính rồi tải lên."
            )
        ) from exc
    title = title.strip() or certified_copy_title(dossier)
    return dossier_appraise(
        dossier=dossier,
        actor=actor,
        title=title[:255],
        file=SimpleUploadedFile(
            "ban-sao-chung-thuc.pdf", content, content_type="application/pdf"
        ),
        note=note,
        now=now,
        details={
            "certified_copy": {
                "original_seen_by": actor.pk,
                "scan_pages": pages,
                "copies": copies,
            }
        },
    )


@atomic_retrying
def dossier_submit_for_signature(
    *,
    dossier: Dossier,
    actor: "User",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """The specialist submits the appraised dossier and its draft result to the
    unit's leader (trình ký)."""
    return transition_apply(
        dossier=dossier,
        actor=actor,
        origin=Origin.OFFICER,
        action="submit_for_signature",
        note=note.strip(),
        now=now,
    ).dossier


@atomic_retrying
def dossier_sign(
    *,
    dossier: Dossier,
    actor: "User",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """The leader signs the draft result off (ký duyệt): it waits to be issued."""
    return transition_apply(
        dossier=dossier,
        actor=actor,
        origin=Origin.OFFICER,
        action="sign",
        note=note.strip(),
        now=now,
    ).dossier


@atomic_retrying
def dossier_send_back(
    *,
    dossier: Dossier,
    actor: "User",
    reason: str,
    now: datetime.datetime | None = None,
) -> Dossier:
    """The leader sends the draft back to the specialist with a reason; the
    send-backs are counted (the control slip shows them)."""
    if not reason.strip():
        raise DossierError(_("Hãy ghi rõ lý do trả lại để chuyên viên sửa dự thảo."))

    def change(d: Dossier) -> None:
        d.send_back_count += 1

    return transition_apply(
        dossier=dossier,
        actor=actor,
        origin=Origin.OFFICER,
        action="send_back",
        note=reason.strip(),
        change=change,
        now=now,
    ).dossier


@dataclass(frozen=True)
class SignOutcome:
    dossier: Dossier
    error: str = ""  # empty when signed


def dossiers_sign(
    *,
    dossiers: list[Dossier],
    actor: "User",
    now: datetime.datetime | None = None,
) -> list[SignOutcome]:
    """Sign several dossiers at once: each is checked and signed on its own
    (its own transaction and event); one that cannot be signed is named with
    the reason and does not stop the others."""
    outcomes = []
    for dossier in dossiers:
        try:
            signed = dossier_sign(dossier=dossier, actor=actor, now=now)
        except DossierError as exc:
            outcomes.append(SignOutcome(dossier=dossier, error=exc.message))
        else:
            outcomes.append(SignOutcome(dossier=signed))
    return outcomes


def dossier_issue_signed_result(
    *,
    dossier: Dossier,
    actor: "User",
    title: str = "",
    file: UploadedFile[bytes] | None = None,
    generate: bool = False,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Issue the result the leader signed off (phát hành), through the issue
    functions of `results.py`, which number and sign it. A dossier signed
    off before drafts existed (approved under the earlier flow, migrated to
    "signed") has no draft: the one-stop officer gives the result as the
    specialist would have (`title` and `file`, or `generate`)."""
    # A dossier not signed off is refused as a move (409), whatever the input.
    status_check(Dossier.objects.get(pk=dossier.pk), "issue_result")
    draft = ResultDraft.objects.filter(dossier=dossier).first()
    if draft is None:
        _draft_inputs_check(title=title, file=file, generate=generate)
        if generate:
            return dossier_issue_generated_result(
                dossier=dossier, actor=actor, title=title, now=now
            )
        return dossier_issue_result(
            dossier=dossier, actor=actor, title=title, file=file, now=now
        )
    if draft.generate:
        return dossier_issue_generated_result(
            dossier=dossier, actor=actor, title=draft.title, now=now
        )
    with draft.file.open("rb") as stored:
        content = stored.read()
    upload = SimpleUploadedFile(
        draft.original_name or "ket-qua.pdf", content, content_type="application/pdf"
    )
    return dossier_issue_result(
        dossier=dossier, actor=actor, title=draft.title, file=upload, now=now
    )
