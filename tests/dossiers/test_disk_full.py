"""A disk that fills up during an upload: a clear message (Vietnamese first), the
transaction rolled back, no file left behind, not even the part written. The
real full disk (a 1 MB tmpfs) is drills/disk_full."""

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import Attachment, Dossier, Draft, Status
from tests.procedures.factories import ProcedureFactory

from .factories import make_dossier, pdf_upload

pytestmark = pytest.mark.django_db


class NearlyFullDisk(FileSystemStorage):
    """A disk with `room` bytes left: a bigger file is written up to the limit,
    then the write fails with ENOSPC, as the kernel does; the part stays."""

    def __init__(self, location: Path, room: int) -> None:
        super().__init__(location=location)
        self.room = room

    def _save(self, name: str, content: Any) -> str:
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.read()
        with path.open("xb") as handle:
            handle.write(data[: self.room])
            written = min(len(data), self.room)
            self.room -= written
            if written < len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return name


def files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def disk(tmp_path, monkeypatch):
    """The attachments' storage, with room for one small PDF only."""
    storage = NearlyFullDisk(tmp_path, room=len(pdf_upload().read()) + 10)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


def test_a_full_disk_refuses_the_file_clearly_and_keeps_nothing(
    citizen, disk, tmp_path
):
    draft = Draft.objects.create(owner=citizen, procedure=ProcedureFactory(), data={})

    with pytest.raises(services.StorageFull) as refused:
        services.attachment_add(
            uploaded_by=citizen, upload=pdf_upload("to-khai.pdf", 5000), draft=draft
        )

    assert refused.value.message.startswith("Máy chủ tạm thời hết chỗ lưu tệp")
    assert "to-khai.pdf" in refused.value.message
    assert not Attachment.objects.exists()
    assert files_in(tmp_path) == []


def test_counter_filing_whose_second_file_fills_the_disk_saves_no_dossier_and_no_file(
    people, disk, tmp_path
):
    with pytest.raises(services.StorageFull):
        services.dossier_file_for_citizen(
            helper=people["officer"],
            citizen=people["applicant"],
            procedure=ProcedureFactory(),
            data={"full_name": "Trần Văn Quầy"},
            files=[("", pdf_upload("a.pdf")), ("", pdf_upload("b.pdf"))],
        )

    assert not Dossier.objects.exists()
    assert not Draft.objects.exists()
    assert not Attachment.objects.exists()
    # The first file was written whole; it went with the rolled-back rows.
    assert files_in(tmp_path) == []


def test_a_correction_refused_for_its_data_keeps_none_of_its_new_files(
    people, tmp_path, monkeypatch
):
    storage = FileSystemStorage(location=tmp_path)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)

    with pytest.raises(services.InvalidDossierData):
        services.dossier_data_correct(
            dossier=dossier,
            actor=people["applicant"],
            data={},
            files=[("", pdf_upload("moi.pdf"))],
        )

    assert not dossier.attachments.exists()
    assert files_in(tmp_path) == []


def test_api_upload_on_a_full_disk_is_503_with_retry_after(
    people, disk, tmp_path, settings
):
    settings.UNAVAILABLE_RETRY_AFTER_SECONDS = 12
    dossier = make_dossier(**people)
    client = APIClient()
    client.force_authenticate(people["applicant"])

    response = client.post(
        reverse("dossiers_api:dossier-attachments", args=[dossier.code]),
        {"file": pdf_upload("lon.pdf", 5000), "document_key": ""},
        format="multipart",
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "12"
    assert response.json()["detail"].startswith("Máy chủ tạm thời hết chỗ lưu tệp")
    assert not dossier.attachments.exists()
    assert files_in(tmp_path) == []


@pytest.fixture
def people(citizen, officer, unit_a):
    return {"applicant": citizen, "unit": unit_a, "officer": officer}
