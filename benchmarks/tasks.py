"""The raw Celery chains the linked chains are measured against (docs/benchmarks.md):

- no-op tasks, the last of which counts the chain as done in Redis (the broker's
  floor, kept as information);
- tasks that do the agencies' work of the steps and nothing else: each generates
  the result documents its step generates (the portal's generator, with the
  verification QR code), signs them with the agency's certificate and stores
  them as the step stores them (the result's file; a step's result copied to the
  citizen's document store), without dossiers, events, facts, counts, registers,
  notifications or any other row (the fair baseline).
"""

import secrets
from typing import Any

import redis
from celery import shared_task
from django.conf import settings


@shared_task(name="benchmarks.noop")
def noop(*args: Any) -> None:
    return None


@shared_task(name="benchmarks.noop_last")
def noop_last(key: str) -> None:
    redis.Redis.from_url(settings.REDIS_URL).incr(key)


def result_document_store(spec: dict[str, Any]) -> str:
    """One result document as a chain step makes it (dossiers.services.linked's
    `dossier_record_agency_result` and chains.services.deliver's
    `result_deliver`), from `spec` (benchmarks.chains.documents) alone: no
    query. Returns the stored result file's name."""
    from django.core.files.base import ContentFile
    from django.utils import timezone, translation

    from accounts.addresses import absolute_url
    from accounts.models import StoredDocument, User
    from dossiers import slips
    from dossiers.files import file_store
    from dossiers.models import Dossier, Result
    from procedures.models import Procedure
    from signing.services import pdf_signed
    from units.models import OrgUnit

    unit = OrgUnit(name=spec["unit"], agency_code=spec["agency_code"])
    dossier = Dossier(
        code=spec["code"],
        applicant=User(username=spec["personal_id"], full_name=spec["applicant"]),
        procedure=Procedure(name=spec["procedure"], code=spec["procedure_code"]),
        receiving_unit=unit,
    )
    result = Result(
        dossier=dossier,
        token=secrets.token_urlsafe(24),
        title=spec["title"],
        number=spec["number"],
        book=spec["book"],
        issued_at=timezone.now(),
        issued_by_unit=unit,
    )
    with translation.override("vi"):
        content = slips.result_pdf(
            dossier,
            result,
            verify_url=absolute_url(result.get_absolute_url()),
            data_rows=[(label, value) for label, value in spec["rows"]],
        )
    signed = pdf_signed(
        content=content, unit=unit, reason=f"Kết quả giải quyết hồ sơ {dossier.code}"
    ).content
    file_store(result.file, f"{secrets.token_hex(16)}.pdf", ContentFile(signed))
    if spec["store"]:
        # The citizen's copy (the step reads the stored result back first).
        with result.file.open("rb") as handle:
            copy = handle.read()
        field = StoredDocument._meta.get_field("file")
        document = StoredDocument(owner_id=spec["owner_id"])
        name = field.generate_filename(document, "document.pdf")
        field.storage.save(name, ContentFile(copy), max_length=field.max_length)
    return str(result.file.name)


@shared_task(name="benchmarks.documents")
def documents(specs: list[dict[str, Any]]) -> None:
    """A step's result documents (benchmarks.chains: the fair baseline)."""
    for spec in specs:
        result_document_store(spec)


@shared_task(name="benchmarks.documents_last")
def documents_last(specs: list[dict[str, Any]], key: str) -> None:
    """The last step's documents, then the chain counted as done in Redis."""
    for spec in specs:
        result_document_store(spec)
    redis.Redis.from_url(settings.REDIS_URL).incr(key)
