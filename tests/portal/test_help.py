"""/help/: where to file and whom to call (every active receiving unit), and the
questions people ask, for anyone without an account."""

import re

import pytest
from django.urls import reverse

from accounts.models import CitizenProfile
from tests.a11y import accessibility_problems
from tests.procedures.factories import FaqFactory, ProcedureFactory
from tests.units.factories import OrgUnitFactory
from units.models import AgencyType

pytestmark = pytest.mark.django_db
HELP = reverse("portal:help")


@pytest.fixture
def receiving(unit_a, unit_b):
    """Both commune committees receive a procedure filed on the portal."""
    ProcedureFactory(agency_type=AgencyType.COMMUNE_COMMITTEE)
    unit_a.address = "Bộ phận Một cửa, thôn Đông, xã An"
    unit_a.phone = "0228 3812 345"
    unit_a.opening_hours = "Thứ Hai – thứ Sáu: 7:30 – 11:30\nChiều: 13:30 – 17:00"
    unit_a.contact_verified = True
    unit_a.save()
    return {"a": unit_a, "b": unit_b}


def sections(page: str) -> dict[str, str]:
    """The page's units and questions sections, so a name in the other (or in
    the footer) does not count."""
    units = page.split('id="units"', 1)[1].split('id="faq"', 1)[0]
    faq = page.split('id="faq"', 1)[1].split("</main>", 1)[0]
    return {"units": units, "faq": faq}


def test_anyone_reads_the_help_page_without_logging_in(client, receiving):
    response = client.get(HELP)

    assert response.status_code == 200
    assert accessibility_problems(response.text) == []


def test_each_receiving_unit_shows_its_address_phone_hours_and_map(client, receiving):
    units = sections(client.get(HELP).text)["units"]

    assert "Bộ phận Một cửa, thôn Đông, xã An" in units
    # a tap calls: digits only in the link, the number as people write it shown
    assert (
        '<a class="btn btn-outline-primary btn-call gap-2" href="tel:02283812345">'
        in units
    )
    assert "0228 3812 345" in units
    # one line per period, as the administrator wrote them
    assert "7:30 – 11:30<br>Chiều: 13:30 – 17:00" in units
    assert "https://www.google.com/maps/search/?api=1&amp;query=UBND" in units
    # a plain link: no map is embedded
    assert "<iframe" not in units
    assert "<script" not in units


def test_only_active_receiving_units_are_listed(client, receiving, tree):
    closed = OrgUnitFactory(name="UBND xã Đã Sáp Nhập", is_active=False)
    district = OrgUnitFactory(
        name="Phòng Tư pháp huyện Thử",
        agency_type=AgencyType.DISTRICT_JUSTICE,
        admin_unit=tree["district"],
    )
    # a kind of agency whose procedures are only listed, never filed here
    ProcedureFactory(list_only=True, agency_type=AgencyType.PROVINCE_POLICE)
    police = OrgUnitFactory(
        name="Công an tỉnh Thử", agency_type=AgencyType.PROVINCE_POLICE
    )

    units = sections(client.get(HELP).text)["units"]

    assert "UBND xã An" in units
    assert "UBND xã Bình" in units
    for absent in (closed, district, police):
        assert absent.name not in units


def test_units_are_grouped_by_area_in_the_trees_order(client, receiving, tree):
    units = sections(client.get(HELP).text)["units"]

    summaries = re.findall(r"<summary>([^<]*)", units)
    assert [s.strip() for s in summaries] == ["Xã An", "Xã Bình"]


def test_unknown_contacts_are_being_updated_and_unverified_ones_say_so(
    client, receiving
):
    receiving["b"].address = "Trụ sở UBND xã Bình"
    receiving["b"].save()

    units = sections(client.get(HELP).text)["units"]
    unit_b = units.split("UBND xã Bình", 1)[1]

    assert "Đang cập nhật" in unit_b  # phone and hours unknown
    assert "chưa được cơ quan xác nhận" in unit_b
    # the verified unit carries no such warning
    assert "chưa được cơ quan xác nhận" not in units.split("UBND xã Bình", 1)[0]


def test_a_citizens_own_commune_comes_first_and_open(client, receiving, citizen, tree):
    CitizenProfile.objects.create(user=citizen, commune=tree["commune_b"])
    client.force_login(citizen)

    units = sections(client.get(HELP).text)["units"]

    first = units.split("<details", 2)[1]
    assert first.startswith(' class="help-area" open>')
    assert "Xã Bình" in first
    assert "nơi bạn ở" in first
    assert 'class="help-area">' in units  # the others stay closed


def test_published_questions_are_grouped_by_procedure(client):
    birth = ProcedureFactory(name="Đăng ký khai sinh")
    FaqFactory(procedure=birth, question="Bao lâu thì có Giấy khai sinh?", order=2)
    FaqFactory(procedure=birth, question="Có mất phí không?", order=1)
    FaqFactory(procedure=birth, question="Câu hỏi nháp?", is_published=False)

    faq = sections(client.get(HELP).text)["faq"]

    assert birth.get_absolute_url() in faq
    assert faq.index("Có mất phí không?") < faq.index("Bao lâu thì có Giấy khai sinh?")
    assert "Câu hỏi nháp?" not in faq


def test_questions_are_searched_without_needing_the_accents(client):
    death = ProcedureFactory(name="Đăng ký khai tử")
    FaqFactory(procedure=death, question="Phải đăng ký khai tử trong bao lâu?")
    FaqFactory(question="Có phải nộp bản giấy không?")
    FaqFactory(question="Ai chi trả mai táng?", is_published=False)

    response = client.get(HELP, {"q": "KHAI TU"})

    faq = sections(response.text)["faq"]
    assert "Phải đăng ký khai tử trong bao lâu?" in faq
    assert "Có phải nộp bản giấy không?" not in faq
    assert "1 câu hỏi khớp với “KHAI TU”" in faq
    assert '<details class="help-faq" open>' in faq
    assert (
        "Ai chi trả mai táng?"
        not in sections(client.get(HELP, {"q": "mai"}).text)["faq"]
    )
    assert accessibility_problems(response.text) == []


def test_the_help_page_is_in_english_with_vietnamese_fallbacks_marked(client):
    FaqFactory(question="Câu hỏi chỉ có tiếng Việt?", question_en="")

    page = client.get(HELP, HTTP_ACCEPT_LANGUAGE="en").text

    assert "Where to file" in page
    assert '<span lang="vi">Câu hỏi chỉ có tiếng Việt?</span>' in page


def test_the_help_page_does_not_grow_with_units_and_questions(
    client, receiving, tree, django_assert_num_queries
):
    FaqFactory()
    client.get(HELP)

    # the receiving units with their areas, the published questions
    with django_assert_num_queries(2):
        client.get(HELP)
    for _ in range(5):
        OrgUnitFactory(admin_unit=tree["commune_a"])
        FaqFactory()
    with django_assert_num_queries(2):
        client.get(HELP)
