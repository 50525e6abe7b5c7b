"""The citizen's "my dossiers" page: a linked dossier with its parts under it,
search, the status filter, pagination, and nobody else's dossier ever.

A module of its own: its linked dossiers need the reviewed catalogue, a module
fixture that the other citizen-page tests must not share.
"""

import re

import pytest
from django.urls import reverse

from chains.models import ChainRun
from dossiers.models import Dossier, Status
from tests.chains.conftest import (
    BIRTH,
    birth_data,
    catalogue,  # noqa: F401 - a module fixture
    make_agencies,
    submit,
)
from tests.procedures.factories import ProcedureFactory

from .factories import make_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

MINE = "dossiers:dossier-mine"


@pytest.fixture
def agencies(tree, unit_a):
    return make_agencies(tree, unit_a)


@pytest.fixture
def linked(citizen, agencies, django_capture_on_commit_callbacks):
    """The citizen's birth group, run to its end: the linked dossier and the
    three parts its chain opened (birth, residence, health card)."""
    return file_birth_group(citizen, agencies, django_capture_on_commit_callbacks)


def file_birth_group(citizen, agencies, capture):
    with capture(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    run = ChainRun.objects.get(dossier=dossier)
    parts = [step.sub_dossier for step in run.steps.order_by("order")]
    assert len(parts) == 3
    return dossier, parts


def cards(html):
    """The page's filing cards: [(code, the card's HTML)] in order."""
    found = []
    for piece in html.split('<li class="card mb-2">')[1:]:
        card = piece.split("</div></li>", 1)[0]
        link = re.search(r'<h3 class="h6 mb-1"><a href="[^"]+">([^<]+)</a>', card)
        if link:  # drafts have no link in their heading
            found.append((link.group(1), card))
    return found


def codes(html):
    return [code for code, _card in cards(html)]


def test_a_linked_dossier_shows_its_parts_under_it(
    client, citizen, unit_a, officer, linked
):
    dossier, parts = linked
    others = [
        make_dossier(applicant=citizen, unit=unit_a),
        make_dossier(
            status=Status.RECEIVED, applicant=citizen, unit=unit_a, officer=officer
        ),
        make_dossier(applicant=citizen, unit=unit_a),
    ]
    assert Dossier.objects.filter(applicant=citizen).count() == 7
    client.force_login(citizen)

    html = client.get(reverse(MINE)).content.decode()

    # 4 filings, 4 cards: the parts are inside their linked dossier's card.
    assert sorted(codes(html)) == sorted([dossier.code, *(d.code for d in others)])
    card = dict(cards(html))[dossier.code]
    assert "Gồm 3 hồ sơ thành phần" in card
    positions = [card.index(part.code) for part in parts]
    assert positions == sorted(positions)  # in the order of the chain's steps
    for part in parts:
        assert part.get_absolute_url() in card
        assert part.receiving_unit.name in card
    for other in others:
        assert "hồ sơ thành phần" not in dict(cards(html))[other.code]


@pytest.mark.parametrize("how", ["parent code", "part code", "procedure name"])
def test_search_finds_the_linked_dossier_by_itself_or_a_part(
    client, citizen, unit_a, linked, how
):
    dossier, parts = linked
    other = make_dossier(applicant=citizen, unit=unit_a)
    client.force_login(citizen)
    query = {
        "parent code": dossier.code,
        "part code": parts[1].code,
        # Without diacritics: "đăng ký thường trú" is a word of the group's name.
        "procedure name": "dang ky THUONG tru",
    }[how]

    html = client.get(reverse(MINE), {"q": query}).content.decode()

    assert codes(html) == [dossier.code]
    assert other.code not in html
    assert parts[1].code in html


def test_search_by_a_procedure_name_without_diacritics(client, citizen, unit_a):
    copy = ProcedureFactory(name="Cấp bản sao trích lục hộ tịch")
    wanted = make_dossier(applicant=citizen, unit=unit_a, procedure=copy)
    # The search splits "7-0001" into words found anywhere in a procedure's name
    # and code: the other procedure's code must not hold them whatever the
    # factory's sequence has reached (9.000017 did).
    other = ProcedureFactory(name="Đăng ký kết hôn", code="2.002222")
    make_dossier(applicant=citizen, unit=unit_a, procedure=other)
    client.force_login(citizen)

    by_name = client.get(reverse(MINE), {"q": "trich luc"}).content.decode()
    by_end_of_code = client.get(reverse(MINE), {"q": wanted.code[-6:]}).content.decode()
    nothing = client.get(reverse(MINE), {"q": "khong co thu tuc nay"}).content.decode()

    assert codes(by_name) == [wanted.code]
    assert codes(by_end_of_code) == [wanted.code]
    assert codes(nothing) == []
    assert "Không có hồ sơ nào khớp tìm kiếm." in nothing


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("", {"submitted", "received", "returned", "withdrawn"}),
        ("open", {"submitted", "received"}),
        ("closed", {"returned", "withdrawn"}),
        (Status.RECEIVED, {"received"}),
    ],
)
def test_the_status_filter(
    client, citizen, unit_a, officer, specialist, leader, status, expected
):
    people = {
        "applicant": citizen,
        "unit": unit_a,
        "officer": officer,
        "specialist": specialist,
        "leader": leader,
    }
    made = {
        s: make_dossier(status=s, **people).code
        for s in ("submitted", "received", "returned", "withdrawn")
    }
    client.force_login(citizen)

    html = client.get(reverse(MINE), {"status": status}).content.decode()

    assert set(codes(html)) == {made[s] for s in expected}


def test_pages_keep_the_search(client, citizen, unit_a):
    procedure = ProcedureFactory(name="Chứng thực bản sao")
    made = [
        make_dossier(applicant=citizen, unit=unit_a, procedure=procedure)
        for _ in range(21)
    ]
    make_dossier(applicant=citizen, unit=unit_a)
    client.force_login(citizen)

    first = client.get(reverse(MINE), {"q": "chung thuc"}).content.decode()
    second = client.get(reverse(MINE), {"q": "chung thuc", "page": 2}).content.decode()

    assert "q=chung+thuc&amp;page=2" in first
    assert set(codes(first)) | set(codes(second)) == {d.code for d in made}
    assert len(codes(second)) == 1


def test_another_citizens_dossiers_never_show(
    client,
    citizen,
    other_citizen,
    unit_a,
    agencies,
    linked,
    django_capture_on_commit_callbacks,
):
    theirs, their_parts = file_birth_group(
        other_citizen, agencies, django_capture_on_commit_callbacks
    )
    their_own = make_dossier(applicant=other_citizen, unit=unit_a)
    client.force_login(citizen)

    pages = [
        client.get(reverse(MINE)).content.decode(),
        *(
            client.get(reverse(MINE), {"q": code}).content.decode()
            for code in (theirs.code, their_parts[0].code, their_own.code)
        ),
        client.get(reverse(MINE), {"status": "closed"}).content.decode(),
    ]

    for html in pages:
        # What is listed (the search box and links repeat what was typed).
        listed = "".join(card for _code, card in cards(html))
        for code in (theirs.code, their_own.code, *(p.code for p in their_parts)):
            assert code not in listed
        assert "Gồm 3 hồ sơ thành phần" not in listed or linked[0].code in listed


def test_the_query_count_does_not_grow_with_filings_or_parts(
    client,
    citizen,
    unit_a,
    agencies,
    linked,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    make_dossier(applicant=citizen, unit=unit_a)
    client.force_login(citizen)
    url = reverse(MINE)
    client.get(url)

    # session, user, groups (is_citizen), count, page of filings, their parts, drafts,
    # the menu's permissions (one read, decision 335), the notification bell
    with django_assert_num_queries(9):
        client.get(url)
    file_birth_group(citizen, agencies, django_capture_on_commit_callbacks)
    for _ in range(3):
        make_dossier(applicant=citizen, unit=unit_a)
    with django_assert_num_queries(9):
        client.get(url)
    with django_assert_num_queries(9):
        client.get(url, {"q": "khai sinh"})
