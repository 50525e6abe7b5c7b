"""The wizard's papers step and the citizen's store on the national portal
(issue 19, point 3): offered only when connected, read only after consent, a
paper chosen by reference attached from the local store, never fetched twice."""

import pytest
from django.urls import reverse

from accounts.models import DocumentSource, StoredDocument
from dossiers.models import Dossier
from national.models import TwinStorePaper
from national.sandbox import twin_store_seed
from tests.a11y import accessibility_problems
from tests.dossiers import test_views_citizen as wizard
from tests.dossiers.test_views_citizen import fill_form, start

pytestmark = pytest.mark.django_db
# The citizen's wizard of tests/dossiers: its procedure, home unit, login, media.
procedure = wizard.procedure
home = wizard.home
logged_in = wizard.logged_in
media = wizard.media
CONSENT = "Tôi đồng ý để Cổng lấy giấy tờ từ kho dữ liệu của tôi"


@pytest.fixture
def paper(citizen):
    twin_store_seed(personal_id=citizen.username, full_name=citizen.full_name)
    return TwinStorePaper.objects.get(reference__endswith="khai-sinh")


@pytest.fixture
def papers_page(logged_in, citizen, procedure, home):
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)
    return draft, reverse("dossiers:draft-documents", args=[draft.pk])


def consent(client, url):
    return client.post(url, {"store_consent": "1", "store_consent_given": "on"})


def test_not_connected_the_page_is_as_before(settings, logged_in, papers_page, paper):
    settings.NATIONAL_PORTAL_BACKEND = ""
    draft, url = papers_page

    html = logged_in.get(url).content.decode()
    consent(logged_in, url)
    response = logged_in.post(
        url, {"action": "attach", "national-giay-chung-sinh": paper.reference}
    )

    assert CONSENT not in html
    assert "national-giay-chung-sinh" not in logged_in.get(url).content.decode()
    assert response.status_code == 302
    assert not draft.attachments.exists()
    assert not StoredDocument.objects.exists()


def test_without_consent_nothing_is_read_nor_fetched(
    connected, logged_in, papers_page, paper
):
    draft, url = papers_page

    page = logged_in.get(url)
    refused = logged_in.post(url, {"store_consent": "1"}, follow=True)
    logged_in.post(
        url, {"action": "attach", "national-giay-chung-sinh": paper.reference}
    )

    html = page.content.decode()
    assert CONSENT in html
    assert paper.title not in html
    assert "hãy đánh dấu ô đồng ý" in refused.content.decode()
    assert paper.title not in refused.content.decode()
    assert not draft.attachments.exists()
    assert not StoredDocument.objects.exists()
    draft.refresh_from_db()
    assert "_paper_store_consent" not in draft.data


def test_with_consent_a_paper_is_taken_once_and_filed(
    connected, logged_in, citizen, papers_page, paper
):
    draft, url = papers_page

    consent(logged_in, url)
    draft.refresh_from_db()
    assert draft.data["_paper_store_consent"]  # when, kept on the draft
    page = logged_in.get(url)
    assert paper.title in page.content.decode()
    assert accessibility_problems(page.content.decode()) == []
    response = logged_in.post(
        url, {"action": "next", "national-giay-chung-sinh": paper.reference}
    )

    assert response.status_code == 302
    stored = StoredDocument.objects.get(owner=citizen)
    assert stored.source == DocumentSource.NATIONAL
    assert stored.national_reference == paper.reference
    attachment = draft.attachments.get()
    assert attachment.stored_document == stored
    assert "lấy từ kho trên Cổng quốc gia" in logged_in.get(url).content.decode()
    # Chosen again: the same paper, neither fetched nor attached twice.
    logged_in.post(
        url, {"action": "attach", "national-giay-chung-sinh": paper.reference}
    )
    assert StoredDocument.objects.count() == 1
    assert draft.attachments.count() == 1

    logged_in.post(
        reverse("dossiers:draft-review", args=[draft.pk]),
        {"action": "submit", "declaration": "on"},
    )
    filed = Dossier.objects.get().attachments.get()
    assert filed.stored_document == stored
    assert filed.sha256 == stored.checksum


def test_another_citizens_paper_cannot_be_chosen(
    connected, logged_in, papers_page, paper
):
    draft, url = papers_page
    twin_store_seed(personal_id="036192004567", full_name="Trần Thị Bình")
    theirs = TwinStorePaper.objects.get(personal_id="036192004567", doc_type="other")

    consent(logged_in, url)
    response = logged_in.post(
        url, {"action": "attach", "national-giay-chung-sinh": theirs.reference}
    )

    assert response.status_code == 200  # not one of the choices
    assert not draft.attachments.exists()
    assert not StoredDocument.objects.exists()


def test_the_consent_is_for_one_draft(
    connected, logged_in, citizen, procedure, home, papers_page, paper
):
    _draft, url = papers_page
    consent(logged_in, url)
    other, _first = start(logged_in, procedure, home)
    fill_form(logged_in, other, citizen)

    html = logged_in.get(
        reverse("dossiers:draft-documents", args=[other.pk])
    ).content.decode()

    assert CONSENT in html
    assert paper.title not in html
