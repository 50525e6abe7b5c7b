"""/staff/registers/: officers search their own agency's registers; nobody sees
another agency's entries. The dossier pages show the result's register line."""

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.models import Dossier, Result, Status
from tests.accounts.factories import login_with_otp
from tests.dossiers.factories import at, make_dossier

pytestmark = pytest.mark.django_db

URL = "/staff/registers/"


def issue(people, name, now=None):
    dossier = make_dossier(status=Status.SIGNED, **people)
    Dossier.objects.filter(pk=dossier.pk).update(data={"full_name": name})
    dossier.refresh_from_db()
    services.dossier_issue_result(
        dossier=dossier, actor=people["officer"], title="Giấy xác nhận", now=now
    )
    return Result.objects.get(dossier=dossier)


@pytest.fixture
def entries(people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))
    return [
        issue(people, "Trần Thị Một"),
        issue(people, "Lê Văn Hai"),
        issue(people, "Phạm Thị Ba"),
    ]


def rows(response):
    return response.context["page"].object_list


def test_the_url_is_the_one_the_issue_names():
    assert reverse("registers:register-search") == URL


def test_an_officer_sees_their_agencys_entries_newest_first(client, people, entries):
    login_with_otp(client, people["officer"])

    response = client.get(URL)

    assert response.status_code == 200
    assert [e.number for e in rows(response)] == [3, 2, 1]
    assert "Phạm Thị Ba" in response.text
    assert "01/2026" in response.text


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"q": "2"}, [2]),
        ({"q": "thị"}, [3, 1]),
        ({"q": "lê văn"}, [2]),
        ({"year": "2026"}, [3, 2, 1]),
        ({"year": "2025"}, []),
        ({"kind": "permit"}, [3, 2, 1]),
        ({"kind": "birth"}, []),
    ],
)
def test_an_officer_searches_by_number_name_year_and_kind(
    client, people, entries, params, numbers
):
    login_with_otp(client, people["specialist"])

    response = client.get(URL, params)

    assert [e.number for e in rows(response)] == numbers


def test_an_officer_finds_an_entry_by_its_dossier_code(client, people, entries):
    login_with_otp(client, people["leader"])

    response = client.get(URL, {"q": entries[1].dossier.code})

    assert [e.number for e in rows(response)] == [2]


def test_another_agencys_entries_are_never_shown(
    client, people, entries, officer_other_commune
):
    login_with_otp(client, officer_other_commune)

    listed = client.get(URL)
    by_code = client.get(URL, {"q": entries[0].dossier.code})
    by_name = client.get(URL, {"q": "Trần Thị Một"})

    for response in (listed, by_code, by_name):
        assert response.status_code == 200
        assert list(rows(response)) == []
        assert "Giấy xác nhận" not in response.text
    assert "Trần Thị Một" not in listed.text
    # Nor is the dossier the entry points to.
    work = client.get(reverse("dossiers:dossier-work", args=[entries[0].dossier.code]))
    assert work.status_code == 404


def test_people_without_an_officers_role_get_403(
    client, citizen, user_without_role, district_staff, people, entries
):
    for user in (citizen, user_without_role):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.logout()
    login_with_otp(client, district_staff)
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_bad_year_is_refused_with_a_message(client, people, entries):
    login_with_otp(client, people["officer"])

    response = client.get(URL, {"year": "abc"})

    assert response.status_code == 400
    assert "Năm" in response.text


def test_the_staff_home_links_to_the_registers(client, people):
    login_with_otp(client, people["officer"])

    response = client.get(reverse("portal:staff-home"))

    assert URL in response.text


# --- The dossier pages ----------------------------------------------------------


def test_the_citizen_and_the_officer_see_the_register_line(client, people, entries):
    result = entries[1]
    client.force_login(people["applicant"])

    citizen_page = client.get(
        reverse("dossiers:dossier-detail", args=[result.dossier.code])
    )

    assert "số 2, quyển số 01/2026" in citizen_page.text
    assert "Sổ cấp giấy phép và kết quả khác" in citizen_page.text
    client.logout()
    login_with_otp(client, people["specialist"])
    officer_page = client.get(
        reverse("dossiers:dossier-work", args=[result.dossier.code])
    )
    assert "Số 2, quyển số 01/2026" in officer_page.text
