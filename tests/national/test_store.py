"""The citizen's e-document store on the national portal (issue 19, point 3):
papers taken from it by reference into the citizen's local store, once; a
returned result pushed to it once; the twin's demo papers (point 5)."""

import pytest
from django.test import Client

from accounts.models import DocumentSource, StoredDocument
from agencies.models import AgencyFault
from dossiers.models import Status
from national.adapters import DevelopmentNationalPortal
from national.models import TwinStorePaper, TwinStoreSource
from national.sandbox import twin_store_seed
from national.store import StoreUnavailable, result_push, store_papers, store_take
from tests.a11y import accessibility_problems
from tests.dossiers.factories import make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(people):
    citizen = people["applicant"]
    twin_store_seed(personal_id=citizen.username, full_name=citizen.full_name)
    return list(TwinStorePaper.objects.filter(personal_id=citizen.username))


def test_the_demo_papers_are_seeded_once_as_readable_pdfs(people, papers):
    citizen = people["applicant"]
    assert len(papers) == 2
    again = twin_store_seed(personal_id=citizen.username, full_name=citizen.full_name)
    assert again == 0
    assert TwinStorePaper.objects.count() == 2
    assert {p.source for p in papers} == {TwinStoreSource.DEMO}
    assert all(bytes(p.content).startswith(b"%PDF") for p in papers)


def test_the_list_is_the_citizens_own_papers(connected, people, papers):
    other = people["officer"]
    twin_store_seed(personal_id="036192004567", full_name="Trần Thị Bình")

    listed = store_papers(user=people["applicant"])

    assert {p.reference for p in listed} == {p.reference for p in papers}
    assert store_papers(user=other) == []


def test_not_connected_lists_nothing_and_fetches_nothing(settings, people, papers):
    settings.NATIONAL_PORTAL_BACKEND = ""

    assert store_papers(user=people["applicant"]) is None
    with pytest.raises(StoreUnavailable):
        store_take(user=people["applicant"], reference=papers[0].reference)
    assert not StoredDocument.objects.exists()


def test_a_paper_taken_is_kept_in_the_local_store_once(connected, people, papers):
    citizen = people["applicant"]
    paper = papers[0]

    first = store_take(user=citizen, reference=paper.reference)
    again = store_take(user=citizen, reference=paper.reference)

    assert again.pk == first.pk
    assert StoredDocument.objects.filter(owner=citizen).count() == 1
    assert first.source == DocumentSource.NATIONAL
    assert first.national_reference == paper.reference
    assert first.title == paper.title
    assert first.content_type == "application/pdf"
    with first.file.open("rb") as handle:
        assert handle.read() == bytes(paper.content)


def test_another_citizens_paper_is_refused(connected, people, papers):
    intruder = people["officer"]

    with pytest.raises(StoreUnavailable):
        store_take(user=intruder, reference=papers[0].reference)
    assert not StoredDocument.objects.exists()


def test_an_unavailable_store_is_said_and_nothing_kept(connected, people, papers):
    AgencyFault.objects.create(system="national", mode="error", remaining=1)

    with pytest.raises(StoreUnavailable):
        store_take(user=people["applicant"], reference=papers[0].reference)
    assert not StoredDocument.objects.exists()


def returned(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_dossier(status=Status.RETURNED, **people)


def test_a_returned_result_reaches_the_citizens_store_once(
    connected, people, django_capture_on_commit_callbacks
):
    dossier = returned(people, django_capture_on_commit_callbacks)

    pushed = TwinStorePaper.objects.get(source=TwinStoreSource.RESULT)
    assert pushed.personal_id == people["applicant"].username
    assert pushed.title == dossier.result.title
    with dossier.result.file.open("rb") as handle:
        assert bytes(pushed.content) == handle.read()
    # Pushed again (a lost answer, a task run twice): the same paper, kept once.
    assert result_push(dossier_id=dossier.pk) == pushed.reference
    assert TwinStorePaper.objects.filter(source=TwinStoreSource.RESULT).count() == 1
    assert TwinStorePaper.objects.get(pk=pushed.pk).repeats == 1
    # And the citizen finds it in their list.
    assert pushed.reference in {
        p.reference for p in store_papers(user=people["applicant"])
    }


def test_the_push_waits_for_the_commit(connected, people):
    make_dossier(status=Status.RETURNED, **people)  # never committed here
    assert not TwinStorePaper.objects.exists()


def test_a_failing_push_is_sent_again(
    connected, people, django_capture_on_commit_callbacks
):
    AgencyFault.objects.create(
        system="national", operation="store_push", mode="error", remaining=2
    )

    returned(people, django_capture_on_commit_callbacks)

    assert TwinStorePaper.objects.filter(source=TwinStoreSource.RESULT).count() == 1
    assert AgencyFault.objects.get().triggered == 2


def test_a_portal_not_connected_pushes_nothing(
    settings, people, django_capture_on_commit_callbacks
):
    settings.NATIONAL_PORTAL_BACKEND = ""
    returned(people, django_capture_on_commit_callbacks)
    assert not TwinStorePaper.objects.exists()


def test_the_twin_refuses_a_push_without_a_personal_id(connected):
    from agencies.adapters import AgencyRefused

    with pytest.raises(AgencyRefused):
        DevelopmentNationalPortal().store_push(
            key="k",
            personal_id="",
            title="x",
            doc_type="other",
            content_type="application/pdf",
            content=b"%PDF",
        )


# --- The twin's page: a citizen's store ---------------------------------------------

PAGE = "/dvcqg-sandbox/"


@pytest.fixture
def staff(connected, people, login_staff):
    client = Client()
    login_staff(client, people["officer"])
    return client


def test_the_twin_page_shows_a_citizens_store(
    staff, people, papers, django_capture_on_commit_callbacks
):
    citizen = people["applicant"]
    dossier = returned(people, django_capture_on_commit_callbacks)

    page = staff.get(PAGE, {"store": citizen.username})

    html = page.content.decode()
    assert page.status_code == 200
    assert [p.reference for p in page.context["store_papers"]] == [
        *[p.reference for p in papers],
        TwinStorePaper.objects.get(source=TwinStoreSource.RESULT).reference,
    ]
    assert papers[0].title in html
    assert dossier.result.title in html
    assert accessibility_problems(html) == []
    empty = staff.get(PAGE, {"store": "036192004567"}).content.decode()
    assert "chưa có giấy tờ nào" in empty
    assert papers[0].title not in empty


def test_the_twin_store_is_staff_only_and_gone_with_the_twin_off(
    connected, client, people, papers, login_staff
):
    client.force_login(people["applicant"])
    as_citizen = client.get(PAGE, {"store": people["applicant"].username})
    assert as_citizen.status_code == 403
    assert papers[0].title not in as_citizen.content.decode()

    connected.NATIONAL_SANDBOX_ENABLED = False
    staff = Client()
    login_staff(staff, people["officer"])
    assert staff.get(PAGE, {"store": people["applicant"].username}).status_code == 404


def test_a_paper_taken_at_the_same_moment_elsewhere_is_that_one(
    connected, people, papers, monkeypatch
):
    """Two tabs take the same paper: the second, which did not see the first,
    meets the unique reference and returns the first one's row."""
    citizen = people["applicant"]
    first = store_take(user=citizen, reference=papers[0].reference)
    real_filter = StoredDocument.objects.filter

    def unseen(*args, **kwargs):  # the other tab had not committed yet
        if "national_reference" in kwargs and len(kwargs) == 2:
            return real_filter(pk=None)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(StoredDocument.objects, "filter", unseen)

    assert store_take(user=citizen, reference=papers[0].reference) == first
    assert real_filter(owner=citizen).count() == 1
