"""The layout's fragments (portal/templatetags/layout.py): rendered once per
language, role and text size, and pasted with each request's own token, path,
name and bell. A kept fragment must never show one person what belongs to
another, or one language, role or setting in place of another."""

import re

import pytest
from django.template import RequestContext, engines
from django.template.backends.django import DjangoTemplates
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from portal.templatetags import layout
from tests.accounts.factories import CitizenFactory

pytestmark = pytest.mark.django_db

TRACK = reverse("dossiers:dossier-track")


def tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))


def header(page: str) -> str:
    return page.split("<header", 1)[1].split("</header>", 1)[0]


def test_a_page_fills_the_store_and_the_next_page_is_pasted_from_it(client):
    client.get(TRACK)
    kept = dict(layout._fragments)

    assert {key[1] for key in kept} == {"head", "styles", "header", "footer"}
    # Pasted, not rendered again: the kept markup is the very same object.
    client.get(reverse("portal:home"))
    assert all(layout._fragments[key] is markup for key, markup in kept.items())


def test_each_visitor_gets_the_csrf_token_of_their_own_cookie():
    first = Client(enforce_csrf_checks=True)
    second = Client(enforce_csrf_checks=True)
    (token_one,) = tokens(first.get(TRACK).text)
    (token_two,) = tokens(second.get(TRACK).text)

    def switch(client: Client, token: str) -> int:
        data = {"language": "en", "next": TRACK, "csrfmiddlewaretoken": token}
        return client.post(reverse("set_language"), data).status_code

    # Each page's token goes with its own visitor's cookie, not the other's.
    assert switch(first, token_two) == 403
    assert switch(first, token_one) == 302
    assert switch(second, token_two) == 302


def test_the_language_and_text_size_forms_come_back_to_this_very_page(client):
    client.get(TRACK + "?code=A")
    page = client.get(TRACK + '?code="><b>x</b>&phone_last4=12').text

    nexts = re.findall(r'name="next" type="hidden" value="([^"]*)"', page)
    assert nexts == [TRACK + "?code=%22%3E%3Cb%3Ex%3C/b%3E&amp;phone_last4=12"] * 2
    login = re.search(r'href="([^"]*)">Đăng nhập', page).group(1)
    assert login == (
        reverse("accounts:login") + "?next=" + TRACK + "%3Fcode%3D%2522%253E%253Cb"
        "%253Ex%253C/b%253E%26phone_last4%3D12"
    )


def test_a_signed_in_person_sees_their_own_name_and_bell(client):
    an = CitizenFactory(full_name="Nguyễn Văn An")
    binh = CitizenFactory(full_name="Trần Thị <Bình>")
    Notification.objects.create(
        recipient=binh,
        event_key="e",
        template="t",
        dedup_key="d",
        language="vi",
        title="Hồ sơ",
        body="Đã nhận",
    )
    client.force_login(an)
    page_an = header(client.get(TRACK).text)
    client.force_login(binh)
    page_binh = header(client.get(TRACK).text)

    assert "Nguyễn Văn An" in page_an
    assert "Bình" not in page_an
    assert "Trần Thị &lt;Bình&gt;" in page_binh
    assert "Nguyễn Văn An" not in page_binh
    assert "text-bg-warning" not in page_an
    assert re.search(r"text-bg-warning\">1<", page_binh)


def test_each_role_sees_its_own_menu(client, citizen, officer, login_staff):
    anonymous = header(client.get(TRACK).text)
    client.force_login(citizen)
    mine = header(client.get(TRACK).text)
    client.logout()
    login_staff(client, officer)
    staff = header(client.get(TRACK).text)

    assert "Đăng nhập" in anonymous
    assert "Đăng xuất" not in anonymous
    assert reverse("dossiers:dossier-mine") in mine
    assert reverse("portal:staff-home") not in mine
    assert reverse("portal:staff-home") in staff
    assert reverse("dossiers:dossier-mine") not in staff


def test_each_language_and_text_size_keeps_its_own_fragments(client):
    vietnamese = client.get(TRACK).text
    client.cookies["django_language"] = "en"
    english = client.get(TRACK).text
    client.cookies["portal_text_size"] = "large"
    large = client.get(TRACK).text

    assert 'lang="vi"' in vietnamese
    assert "Bỏ qua, đến nội dung chính" in vietnamese
    assert 'lang="en"' in english
    assert "Skip to main content" in english
    assert 'class="large-text"' in large
    assert 'class="large-text"' not in english
    assert 'aria-pressed="true"' in large
    assert 'aria-pressed="true"' not in english


def test_a_changed_setting_is_shown_at_once(client, settings):
    client.get(TRACK)
    settings.PORTAL_NAME = "Trung tâm Phục vụ hành chính công xã Thử"

    assert "Trung tâm Phục vụ hành chính công xã Thử" in client.get(TRACK).text


def test_nothing_is_kept_while_templates_are_being_edited(rf):
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    engine = backend.engine
    template = engine.from_string(
        '{% load layout %}{% layout_fragment "x" %}{{ layout_path }}'
        "{% end_layout_fragment %}"
    )
    engine.debug = True
    try:
        page = template.render(RequestContext(rf.get("/a?b=1")))
    finally:
        engine.debug = False

    assert page == "/a?b=1"
    assert layout._fragments == {}


def test_a_block_rendered_once_per_key_is_kept_per_key_and_language(settings):
    template = engines["django"].from_string(
        "{% load layout %}{% rendered_once_per key %}{{ value }}"
        "{% end_rendered_once_per %}"
    )

    assert template.render({"key": 1, "value": "a"}) == "a"
    # Same key: the kept markup (what it depends on is in the key).
    assert template.render({"key": 1, "value": "b"}) == "a"
    assert template.render({"key": 2, "value": "b"}) == "b"
    with translation.override("en"):
        assert template.render({"key": 1, "value": "c"}) == "c"


def test_only_the_most_recently_used_blocks_are_kept(monkeypatch):
    monkeypatch.setattr(layout, "MEMO_SIZE", 2)
    template = engines["django"].from_string(
        "{% load layout %}{% rendered_once_per key %}{{ value }}"
        "{% end_rendered_once_per %}"
    )
    for key in (1, 2, 1, 3):
        template.render({"key": key, "value": key})

    assert [key[-1] for key in layout._memos] == [1, 3]


def test_the_queue_filters_are_kept_per_choice_of_filters(client, officer, login_staff):
    from dossiers.forms.officer import QueueFilterForm

    login_staff(client, officer)
    url = reverse("dossiers:queue")
    client.get(url)
    client.get(url, {"status": "received"})
    page = client.get(url, {"status": "closed", "q": "<b>"}).text

    # The footer's help keeps its own (per unit row): not the filters'.
    kept = [key[-1] for key in layout._memos if "_footer_help" not in key[0]]
    assert len(kept) == 3
    assert 'value="&lt;b&gt;"' in page
    assert '<option value="closed" selected>' in page
    unbound = QueueFilterForm(procedures=[("p", "P")], admin_units=[])
    bound = QueueFilterForm({"q": "x"}, procedures=[("p", "P")], admin_units=[])
    assert unbound.rendering_key() != bound.rendering_key()
    assert (
        bound.rendering_key()
        != QueueFilterForm(
            {"q": "x"}, procedures=[("p", "Q")], admin_units=[]
        ).rendering_key()
    )
