"""What a done step hands on, each function one thing: its result on its part
(issued, returned online) and in the citizen's document store; the next step or,
after the last, the linked dossier's own result."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import DocumentSource, User
from accounts.services import stored_document_add
from dossiers.calendar import WorkingCalendar
from dossiers.lifecycle import TRANSITIONS
from dossiers.models import Dossier, Origin, Result, Status
from dossiers.services import dossier_record_agency_result, dossier_return_result
from registers.services import register_entry_take

from ..models import ChainRun, ChainStep, RunStatus, StepState
from ..steps import KINDS, Outcome
from .history import history
from .start import step_start

# The account results recorded for other agencies' systems are issued under: an
# inert technical user (no password, inactive), like the identity provider's.
SYSTEM_USERNAME = "he-thong-lien-thong"


def system_user() -> User:
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"full_name": "Hệ thống liên thông của Cổng", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def outcome_numbered(
    step: ChainStep, outcome: Outcome, now: datetime.datetime
) -> Outcome:
    """Births and deaths: the number of the agency's register (registers), taken
    in the transaction that records the result (no gap if it rolls back), in
    place of the number the registry's answer carried; the step's stored result
    carries it on to the steps that cite it."""
    kind = KINDS[step.kind]
    if kind.numbered is None:
        return outcome
    part = Dossier.objects.select_related("procedure", "applicant").get(chain_step=step)
    entry = register_entry_take(
        dossier=part,
        unit=step.org_unit,
        title=kind.title,
        subject=str(outcome.result.get("full_name") or ""),
        now=now,
    )
    outcome = kind.numbered(outcome, entry.number, entry.register.book)
    ChainStep.objects.filter(pk=step.pk).update(result=outcome.result)
    return outcome


def result_deliver(
    run: ChainRun, step: ChainStep, outcome: Outcome, now: datetime.datetime
) -> None:
    """The result on the step's dossier (issued, returned online) and in the
    citizen's document store."""
    kind = KINDS[step.kind]
    part = Dossier.objects.get(chain_step=step)
    result = Result.objects.filter(dossier=part).first()
    if result is None and part.status in TRANSITIONS["record_result"].sources:
        result = dossier_record_agency_result(
            dossier=part,
            title=kind.title,
            number=outcome.number,
            issued_by=system_user(),
            data_rows=outcome.rows,
            note=_("Kết quả từ hệ thống của cơ quan."),
            now=now,
        )
        # The part as the transition left it (its status: result ready).
        part = result.dossier
    if part.status == Status.RESULT_READY:
        dossier_return_result(
            dossier=part, actor=None, origin=Origin.SYSTEM, method="online", now=now
        )
    if result is not None and result.file:
        with result.file.open("rb") as handle:
            content = handle.read()
        subject = outcome.result.get("full_name") or run.dossier.applicant.full_name
        # "3/01/2026" for a number of one of our registers' books.
        number = f"{result.number}/{result.book}" if result.book else result.number
        document = stored_document_add(
            owner=run.dossier.applicant,
            doc_type=kind.doc_type,
            title=f"{result.title} – {subject}"[:200],
            file=SimpleUploadedFile("result.pdf", content, "application/pdf"),
            number=number[:60],
            issued_by=step.org_unit.name[:200],
            issued_on=timezone.localdate(now),
            source=DocumentSource.RESULT,
        )
        ChainStep.objects.filter(pk=step.pk).update(stored_document=document)


def chain_advance(
    run: ChainRun,
    step: ChainStep,
    now: datetime.datetime,
    *,
    calendar: WorkingCalendar | None = None,
) -> None:
    """Start the next step (its deadline by `calendar`, by default the
    database's), or finish the chain when every step is done."""
    following = (
        run.steps.filter(state=StepState.PENDING, order__gt=step.order)
        .select_related("procedure", "org_unit__admin_unit", "linked_step")
        .order_by("order")
        .first()
    )
    if following is not None:
        step_start(run=run, step=following, now=now, calendar=calendar)
        return
    if run.steps.exclude(state=StepState.DONE).exists():
        return
    _finish(run, now)


def _finish(run: ChainRun, now: datetime.datetime) -> None:
    """Every step is done: the linked dossier's result lists them, and it is
    returned online."""
    parent = run.dossier
    rows = []
    for step in run.steps.select_related("procedure", "sub_dossier").order_by("order"):
        number = (step.result or {}).get("number") or _main_number(step)
        rows.append(
            (
                f"{step.order}. {step.procedure.name}",
                f"{KINDS[step.kind].title or step.procedure.name}: {number}",
            )
        )
    dossier_record_agency_result(
        dossier=parent,
        title="Kết quả giải quyết hồ sơ liên thông",
        number="",
        issued_by=system_user(),
        data_rows=rows,
        note=_("Đã có kết quả của tất cả các bước."),
        now=now,
    )
    dossier_return_result(
        dossier=parent, actor=None, origin=Origin.SYSTEM, method="online", now=now
    )
    ChainRun.objects.filter(pk=run.pk).update(
        status=RunStatus.COMPLETED, completed_at=now, supplement_due_at=None
    )
    history(run, "completed", now=now)


def _main_number(step: ChainStep) -> str:
    result = step.result or {}
    for key in (
        "birth_certificate_number",
        "confirmation_number",
        "card_code",
        "death_extract_number",
        "notice_number",
        "decision_number",
    ):
        if result.get(key):
            if key.endswith("_number") and result.get(key.replace("number", "book")):
                return f"{result[key]}/{result[key.replace('number', 'book')]}"
            return str(result[key])
    return ""
