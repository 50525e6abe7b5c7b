import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.utils import timezone

from procedures.models import Procedure
from procedures.selectors import (
    announcement_get,
    announcements_for_org_unit,
    announcements_published,
    faqs_for_procedure,
    faqs_published,
    org_units_receiving,
    procedure_get,
    procedure_search,
)
from procedures.text import normalize
from tests.units.factories import OrgUnitFactory
from units.models import AgencyType

from .factories import AnnouncementFactory, FaqFactory, ProcedureFactory


def first(q: str, **filters) -> str:
    result = procedure_search(q=q, **filters).first()
    return result.url_code if result else ""


# --- Search on the reviewed catalogue: run on SQLite and on PostgreSQL --------------


@pytest.mark.both_databases
@pytest.mark.usefixtures("catalogue")
class TestSearch:
    pytestmark = pytest.mark.django_db

    @pytest.mark.parametrize(
        "q",
        ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sinh", "Đăng ký khai sinh"],
    )
    def test_birth_registration_comes_first_with_or_without_diacritics(self, q):
        assert first(q) == "1.001193"

    def test_every_essential_name_finds_itself_first_with_or_without_diacritics(self):
        for procedure in Procedure.objects.filter(essential=True):
            plain = normalize(procedure.name)
            assert first(procedure.name) == procedure.url_code, procedure.name
            assert first(plain) == first(procedure.name), plain
            assert first(procedure.name.upper()) == procedure.url_code

    def test_the_national_code_matches_whole_or_in_part(self):
        assert first("1.001193") == "1.001193"
        assert first("001193") == "1.001193"
        assert first(" 1.004222 ") == "1.004222"

    def test_codes_written_in_the_mapping_note_also_match(self):
        # 1.014064 (cấp lại thẻ căn cước) is noted on the card renewal entry.
        assert first("1.014064") == "1.014063"

    def test_d_with_stroke_is_d(self):
        assert first("đăng ký kết hôn") == first("dang ky ket hon") == "1.000894"

    def test_words_match_at_word_starts_in_any_order(self):
        assert first("thuong tru dang ky") == "1.004222"
        assert first("tru") != ""
        assert not procedure_search(q="ru thuong").exists()

    def test_everyday_words_are_found_through_keywords(self):
        assert first("lam giay khai sinh") == "1.001193"
        assert first("nhap ho khau") == "1.004222"

    def test_english_names_are_searched_too(self):
        assert first("birth registration") == "1.001193"

    def test_nothing_found_is_an_empty_result(self):
        assert list(procedure_search(q="xyzzy")) == []

    def test_filters_narrow_the_results(self):
        linked = procedure_search(q="khai sinh", kind="linked")
        residence = procedure_search(field="cu-tru")
        birth = procedure_search(life_event="sinh-con")

        assert [p.code for p in linked] == ["3.000722"]
        assert all(p.field.code == "cu-tru" for p in residence)
        assert "1.001193" in {p.code for p in birth}
        # 4 members of the linked groups + 15 commune procedures (issue 22).
        assert procedure_search(essential=False).count() == 19
        assert procedure_search(agency_level="central", essential=True).count() >= 1

    def test_without_a_query_the_53_come_in_their_list_order(self):
        seqs = [p.essential_seq for p in procedure_search()[:53]]

        assert seqs == list(range(1, 54))

    def test_results_are_identical_on_every_database(self):
        # Pinned so that the SQLite run and the PostgreSQL run are compared.
        assert [p.url_code for p in procedure_search(q="tam tru")] == [
            "1.004194",
            "1.002755",
            "1.010028",
        ]
        assert [p.url_code for p in procedure_search(q="the bhyt")][:3] == [
            "1.014137",
            "gia-han-the-bhyt-ho-gia-dinh",
            "1.001939",
        ]


@pytest.mark.services("postgres")
@pytest.mark.django_db
def test_postgresql_serves_search_from_the_trigram_index():
    for n in range(200):
        ProcedureFactory(name=f"Thủ tục số {n}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        # Full scans off: only an index that answers LIKE '%word%' is left.
        cursor.execute("ANALYZE procedures_procedure")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = procedure_search(q="thu tuc so").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "procedure_search_trgm" in plan


# --- One procedure ------------------------------------------------------------------


@pytest.mark.django_db
def test_procedure_get_finds_by_code_or_key_and_404s_otherwise():
    with_code = ProcedureFactory(code="1.000001", key="co-ma")
    without = ProcedureFactory(code="", key="chua-co-ma")

    assert procedure_get(code="1.000001") == with_code
    assert procedure_get(code="co-ma") == with_code
    assert procedure_get(code="chua-co-ma") == without
    with pytest.raises(Http404):
        procedure_get(code="1.999999")


# --- Announcements ------------------------------------------------------------------


@pytest.mark.django_db
def test_only_announcements_in_their_period_are_published(unit_a):
    now = timezone.now()
    shown = AnnouncementFactory(org_unit=unit_a)
    AnnouncementFactory(
        org_unit=unit_a, published_from=now + datetime.timedelta(days=1)
    )
    AnnouncementFactory(
        org_unit=unit_a,
        published_from=now - datetime.timedelta(days=10),
        published_until=now - datetime.timedelta(days=1),
    )

    assert list(announcements_published()) == [shown]
    with pytest.raises(Http404):
        announcement_get(pk=shown.pk + 1)


@pytest.mark.django_db
def test_a_unit_shows_its_own_notices_and_those_of_its_areas(unit_a, unit_b, tree):
    own = AnnouncementFactory(org_unit=unit_a)
    district = AnnouncementFactory(admin_unit=tree["district"])
    AnnouncementFactory(org_unit=unit_b)
    AnnouncementFactory(admin_unit=tree["commune_b"])

    assert set(announcements_for_org_unit(org_unit=unit_a)) == {own, district}


# --- Where citizens file, and the questions they ask ---------------------------------


@pytest.mark.django_db
def test_receiving_units_are_the_active_units_of_a_kind_that_receives_filings(
    unit_a, unit_b, district_unit
):
    ProcedureFactory(agency_type=AgencyType.COMMUNE_COMMITTEE)
    ProcedureFactory(agency_type=AgencyType.DISTRICT_COMMITTEE, list_only=True)
    OrgUnitFactory(is_active=False)

    assert list(org_units_receiving()) == [unit_a, unit_b]


@pytest.mark.django_db
def test_receiving_units_take_one_query_with_their_areas(
    unit_a, unit_b, django_assert_num_queries
):
    ProcedureFactory(agency_type=AgencyType.COMMUNE_COMMITTEE)

    with django_assert_num_queries(1):
        assert [u.admin_unit.name for u in org_units_receiving()] == [
            "Xã An",
            "Xã Bình",
        ]


@pytest.mark.django_db
def test_a_procedures_questions_are_its_published_ones_in_order():
    procedure = ProcedureFactory()
    second = FaqFactory(procedure=procedure, order=2)
    first_one = FaqFactory(procedure=procedure, order=1)
    FaqFactory(procedure=procedure, is_published=False)
    FaqFactory()

    assert list(faqs_for_procedure(procedure=procedure)) == [first_one, second]


@pytest.mark.django_db
def test_questions_follow_the_catalogues_order_of_procedures():
    # The module's catalogue may hold these row numbers; this test's own rows take
    # them (rolled back after it).
    Procedure.objects.filter(essential_seq__in=[1, 3]).update(
        essential=False, essential_seq=None
    )
    essential = ProcedureFactory(essential=True, essential_seq=3)
    other = ProcedureFactory(key="a-thu-tuc")
    early = ProcedureFactory(essential=True, essential_seq=1)
    faqs = [FaqFactory(procedure=p) for p in (other, essential, early)]

    assert faqs_published() == [faqs[2], faqs[1], faqs[0]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("mai tang", True),
        ("MAI TÁNG", True),
        ("ang", False),  # words match from their start
        ("trợ cấp mai táng", True),
        ("funeral", True),  # the English text too
        ("9.002913", True),  # and the procedure's code
        ("mai tang xe", False),  # every word must match
    ],
)
def test_questions_are_found_by_every_word_without_diacritics(q, found):
    group = ProcedureFactory(code="9.002913", name="Liên thông khai tử")
    faq = FaqFactory(
        procedure=group,
        question="Ai chi trả trợ cấp mai táng?",
        question_en="Who pays the funeral allowance?",
    )
    FaqFactory(question="Có phải nộp bản giấy không?")

    assert faqs_published(q=q) == ([faq] if found else [])


@pytest.mark.django_db
def test_unpublished_questions_are_never_found():
    FaqFactory(question="Ai chi trả trợ cấp mai táng?", is_published=False)

    assert faqs_published(q="mai tang") == []
    assert faqs_published() == []
