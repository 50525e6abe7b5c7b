import pytest
from django.urls import reverse

from procedures.models import Procedure
from tests.a11y import accessibility_problems

from .factories import (
    AnnouncementFactory,
    DocumentFactory,
    FaqFactory,
    GuideFactory,
    GuideStepFactory,
    ProcedureFactory,
)


def url(name, *args):
    return reverse(f"procedures:{name}", args=args)


# --- The reviewed catalogue, page by page ---------------------------------------------


@pytest.mark.usefixtures("catalogue")
class TestCataloguePages:
    pytestmark = pytest.mark.django_db

    @pytest.mark.parametrize(
        "path",
        [
            "/procedures/",
            "/procedures/search/?q=khai+sinh",
            "/procedures/search/?essential=true&field=cu-tru",
            "/procedures/1.001193/",
            "/procedures/3.000722/",
            "/procedures/2.002913/",
            "/procedures/nop-phat-vi-pham-giao-thong/",
            "/procedures/tro-cap-mai-tang-bhxh/",
            "/procedures/1.001193/form/",
            "/procedures/2.002913/form/",
            "/procedures/guides/",
            "/procedures/guides/dang-ky-khai-sinh/",
            "/procedures/announcements/",
            "/",
        ],
    )
    @pytest.mark.parametrize("language", ["vi", "en"])
    def test_pages_render_in_both_languages_and_pass_the_accessibility_check(
        self, client, path, language
    ):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)

        assert response.status_code == 200
        assert f'<html lang="{language}"' in response.text
        assert accessibility_problems(response.text) == []

    def test_birth_registration_page_shows_its_facts(self, client):
        page = client.get(url("procedure-detail", "1.001193")).text

        assert "Đăng ký khai sinh" in page
        assert "Giấy chứng sinh" in page
        assert "Trong ngày làm việc" in page
        assert "Miễn phí" in page
        assert "Luật Hộ tịch 2014" in page
        # How sure the facts are, not the reference row they come from, which
        # stays in the admin (decision 147).
        assert "Độ tin cậy của thông tin" in page
        assert "services-53.csv" not in page
        assert 'href="/dossiers/new/1.001193/"' in page
        assert "Nộp hồ sơ" in page

    def test_the_english_page_is_in_english(self, client):
        page = client.get(
            url("procedure-detail", "1.001193"), HTTP_ACCEPT_LANGUAGE="en"
        ).text

        assert "Birth registration" in page
        assert "Documents to prepare" in page
        assert "Submit an application" in page

    def test_unknown_facts_say_being_updated(self, client):
        page = client.get(url("procedure-detail", "1.000894")).text  # kết hôn

        assert 'class="unknown">Đang cập nhật</span>' in page

    def test_what_cannot_be_submitted_has_no_button_and_says_where(self, client):
        page = client.get(url("procedure-detail", "nop-phat-vi-pham-giao-thong")).text

        assert "Mục này không nộp hồ sơ trên cổng" in page
        assert "Tra cứu/Thanh toán vi phạm giao thông" in page
        assert "/dossiers/new/" not in page
        assert (
            client.get(url("procedure-form", "nop-phat-vi-pham-giao-thong")).status_code
            == 404
        )

    def test_a_linked_group_lists_its_steps_and_when_they_apply(self, client):
        page = client.get(url("procedure-detail", "2.002913")).text

        assert "Các thủ tục trong nhóm liên thông" in page
        assert page.index("Đăng ký khai tử") < page.index("Xóa đăng ký thường trú")
        assert "Chỉ cần khi “Thực hiện liên thông mấy thủ tục?” là" in page

    def test_a_member_links_to_its_group(self, client):
        page = client.get(url("procedure-detail", "1.004222")).text

        assert url("procedure-detail", "3.000722") in page

    def test_the_key_redirects_to_the_code_once_there_is_one(self, client):
        response = client.get(url("procedure-detail", "dang-ky-khai-sinh"))

        assert response.status_code == 302
        assert response.headers["Location"] == url("procedure-detail", "1.001193")

    def test_results_keep_the_filters_in_the_url(self, client):
        response = client.get(
            url("procedure-list"), {"q": "tam tru", "field": "cu-tru"}
        )

        page = response.text
        assert "Tìm thấy 3 thủ tục" in page
        assert 'value="tam tru"' in page
        assert '<option value="cu-tru" selected>' in page

    def test_results_are_paginated_with_the_filters(self, client):
        page = client.get(url("procedure-list"), {"essential": "true"}).text

        assert "Tìm thấy 53 thủ tục" in page
        assert "?essential=true&amp;page=2" in page

    def test_a_bad_filter_shows_the_form_error_and_no_results(self, client):
        page = client.get(url("procedure-list"), {"agency_level": "village"}).text

        assert "Tìm thấy 0 thủ tục" in page
        assert "village" in page

    def test_the_form_preview_checks_without_saving(self, client):
        before = Procedure.objects.count()
        response = client.post(
            url("procedure-form", "1.001193"), {"child.full_name": "Bé"}
        )

        page = response.text
        assert "chỗ cần sửa" in page
        assert 'href="#id_child.date_of_birth"' in page
        assert "Trẻ được đăng ký khai sinh: Ngày, tháng, năm sinh" in page
        assert Procedure.objects.count() == before

    def test_conditional_sections_and_fields_say_when_they_apply(self, client):
        page = client.get(url("procedure-form", "2.002913")).text

        assert page.count("data-show-if=") == 4
        assert (
            "Chỉ cần khi “Thực hiện liên thông mấy thủ tục?” là “3 thủ tục" in page
        )  # the benefits section

    def test_catalogue_home_offers_life_events_agencies_and_fields(self, client):
        page = client.get(url("procedure-index")).text

        assert "?life_event=sinh-con" in page
        assert "?agency_type=commune_police" in page
        assert "?field=ho-tich" in page
        assert "?essential=true" in page
        assert page.index("Sinh con") < page.index("Bảo hiểm")

    def test_search_results_page_takes_a_constant_number_of_queries(
        self, client, django_assert_num_queries
    ):
        # Life events and sectors for the filters, the count, one page.
        with django_assert_num_queries(4):
            client.get(url("procedure-list"), {"q": "dang ky"})


# --- Guides, units and announcements -------------------------------------------------


@pytest.mark.django_db
def test_a_guide_shows_its_steps_with_pictures_from_our_static_files(client):
    step = GuideStepFactory(
        image="procedures/guides/home.png",
        image_alt="Trang chủ",
        image_alt_en="Home page",
    )

    page = client.get(step.guide.get_absolute_url()).text

    assert '<img class="guide-picture" src="/static/procedures/guides/home.png"' in page
    assert 'alt="Trang chủ"' in page
    assert accessibility_problems(page) == []


@pytest.mark.django_db
def test_unpublished_guides_are_not_found(client):
    guide = GuideFactory(is_published=False)

    assert client.get(guide.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_units_page_shows_its_notices_and_the_districts(client, unit_a, unit_b, tree):
    own = AnnouncementFactory(org_unit=unit_a, title="Lịch tiếp dân tháng 9")
    AnnouncementFactory(admin_unit=tree["district"], title="Nghỉ lễ Quốc khánh")
    AnnouncementFactory(org_unit=unit_b, title="Thông báo của xã khác")

    response = client.get(url("unit-detail", unit_a.agency_code))

    page = response.text
    assert "Lịch tiếp dân tháng 9" in page
    assert "Nghỉ lễ Quốc khánh" in page
    assert "Thông báo của xã khác" not in page
    assert own.get_absolute_url() in page
    assert accessibility_problems(page) == []


@pytest.mark.django_db
def test_an_unknown_unit_is_404(client):
    assert client.get(url("unit-detail", "000.00.00.H00")).status_code == 404


@pytest.mark.django_db
def test_the_home_page_shows_the_latest_notices_and_a_search_box(client, unit_a):
    AnnouncementFactory(org_unit=unit_a, title="Tạm dừng tiếp nhận hồ sơ chiều thứ Sáu")

    page = client.get(reverse("portal:home")).text

    assert "Tạm dừng tiếp nhận hồ sơ chiều thứ Sáu" in page
    assert f'action="{url("procedure-list")}"' in page
    assert url("procedure-index") in page


@pytest.mark.django_db
def test_an_announcement_falls_back_to_vietnamese_marked_as_such(client, unit_a):
    announcement = AnnouncementFactory(org_unit=unit_a, title_en="", body_en="")

    page = client.get(announcement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text

    assert f'<span lang="vi">{announcement.title}</span>' in page


@pytest.mark.django_db
def test_a_long_text_falls_back_to_vietnamese_as_paragraphs_not_tags(client):
    procedure = ProcedureFactory(
        result_documents="Giấy khai sinh.\nBản điện tử <gửi qua VNeID>.",
        result_documents_en="",
    )

    page = client.get(procedure.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text

    assert (
        '<div lang="vi"><p>Giấy khai sinh.<br>Bản điện tử &lt;gửi qua VNeID&gt;.</p>'
        "</div>" in page
    )


@pytest.mark.django_db
def test_a_procedure_without_papers_says_so(client):
    procedure = ProcedureFactory(code="", key="chua-co-giay-to")

    page = client.get(procedure.get_absolute_url()).text

    assert "Giấy tờ cần chuẩn bị" in page
    assert "Mã thủ tục:" in page
    assert 'class="unknown">Đang cập nhật</strong>' in page


@pytest.mark.django_db
def test_document_facts_distinguish_no_from_unknown(client):
    procedure = ProcedureFactory()
    DocumentFactory(
        procedure=procedure, ecopy_from_store=False, ecopy_from_national_db=None
    )

    page = client.get(procedure.get_absolute_url()).text

    assert "trong kho dữ liệu cá nhân thay bản giấy: <span>Không</span>" in page
    assert 'cơ sở dữ liệu quốc gia: <span class="unknown">Đang cập nhật</span>' in page


@pytest.mark.django_db
def test_text_entered_in_the_admin_is_escaped(client, unit_a):
    announcement = AnnouncementFactory(
        org_unit=unit_a, body="Dòng một\n<script>alert(1)</script>"
    )

    page = client.get(announcement.get_absolute_url()).text

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Dòng một<br>" in page


# --- Questions and contacts ----------------------------------------------------------


@pytest.mark.django_db
def test_a_procedures_page_answers_its_published_questions(client):
    procedure = ProcedureFactory()
    FaqFactory(
        procedure=procedure,
        question="Có phải nộp bản giấy không?",
        answer="Không.\nDữ liệu được khai thác lại.",
    )
    FaqFactory(procedure=procedure, question="Câu hỏi nháp?", is_published=False)
    FaqFactory(question="Câu hỏi của thủ tục khác?")

    page = client.get(procedure.get_absolute_url()).text

    assert '<h2 id="faq-heading" class="h4">Câu hỏi thường gặp</h2>' in page
    assert "Có phải nộp bản giấy không?" in page
    assert "<p>Không.<br>Dữ liệu được khai thác lại.</p>" in page
    assert "Câu hỏi nháp?" not in page
    assert "Câu hỏi của thủ tục khác?" not in page
    assert accessibility_problems(page) == []


@pytest.mark.django_db
def test_a_procedure_without_questions_has_no_empty_section(client):
    procedure = ProcedureFactory()
    FaqFactory(procedure=procedure, is_published=False)

    assert "faq-heading" not in client.get(procedure.get_absolute_url()).text


@pytest.mark.django_db
def test_questions_are_in_english_or_marked_vietnamese(client):
    procedure = ProcedureFactory()
    FaqFactory(procedure=procedure, question_en="Paper copies?", answer_en="")

    page = client.get(procedure.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text

    assert "Frequently asked questions" in page
    assert "Paper copies?" in page
    assert '<div lang="vi"><p>Câu trả lời.</p></div>' in page


@pytest.mark.django_db
def test_a_units_page_shows_how_to_reach_it(client, unit_a):
    unit_a.address = "Thôn Đông, xã An"
    unit_a.phone = "0228 3812 345"
    unit_a.save()

    page = client.get(url("unit-detail", unit_a.agency_code)).text

    contact = page.split('id="contact-heading"', 1)[1]
    assert "Thôn Đông, xã An" in contact
    assert 'href="tel:02283812345"' in contact
    assert "Đang cập nhật" in contact  # the hours
    assert "chưa được cơ quan xác nhận" in contact
    assert accessibility_problems(page) == []
