"""The footer's help: on a dossier's pages the unit that received it (where to
go, whom to call); elsewhere short links to /help/. It never costs a query."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from dossiers.models import Dossier
from tests.a11y import accessibility_problems
from tests.dossiers.factories import make_dossier

pytestmark = pytest.mark.django_db


def footer(html: str) -> str:
    return html.split("<footer", 1)[1]


@pytest.fixture
def reachable(unit_a):
    unit_a.address = "Bộ phận Một cửa, thôn Đông, xã An"
    unit_a.phone = "0228 3812 345"
    unit_a.opening_hours = "Thứ Hai – thứ Sáu: 7:30 – 11:30"
    unit_a.save()
    return unit_a


def test_a_page_about_nothing_in_particular_links_to_the_help_page(client):
    page = client.get(reverse("portal:home")).text

    help_links = footer(page)
    assert f'href="{reverse("portal:help")}#units"' in help_links
    assert f'href="{reverse("portal:help")}#faq"' in help_links
    assert "tel:" not in help_links
    assert accessibility_problems(page) == []


def test_a_dossiers_page_shows_whom_the_citizen_can_call(client, citizen, reachable):
    dossier = make_dossier(applicant=citizen, unit=reachable)
    client.force_login(citizen)

    page = client.get(dossier.get_absolute_url()).text

    help_block = footer(page)
    assert "UBND xã An" in help_block
    assert "Bộ phận Một cửa, thôn Đông, xã An" in help_block
    assert 'href="tel:02283812345"' in help_block
    assert "Thứ Hai – thứ Sáu: 7:30 – 11:30" in help_block
    assert accessibility_problems(page) == []


def test_the_public_tracking_page_shows_the_receiving_unit_too(
    client, citizen, reachable
):
    dossier = make_dossier(applicant=citizen, unit=reachable)

    page = client.get(
        reverse("dossiers:dossier-track"),
        {"code": dossier.code, "phone_last4": dossier.phone_last4},
    ).text

    assert 'href="tel:02283812345"' in footer(page)


def test_the_footer_reads_only_what_the_page_loaded(
    citizen, reachable, django_assert_num_queries
):
    make_dossier(applicant=citizen, unit=reachable)
    template = Template("{% load site_help %}{% footer_help %}")
    bare = Dossier.objects.get()
    loaded = Dossier.objects.select_related("receiving_unit").get()

    with django_assert_num_queries(0):
        without = template.render(Context({"dossier": bare}))
        with_unit = template.render(Context({"dossier": loaded}))

    assert "tel:" not in without
    assert 'href="tel:02283812345"' in with_unit


def test_a_view_may_name_the_units_and_closed_ones_are_left_out(reachable, unit_b):
    unit_b.phone = "0228 3999 999"
    unit_b.is_active = False
    template = Template("{% load site_help %}{% footer_help %}")

    html = template.render(Context({"footer_units": [reachable, unit_b]}))

    assert 'href="tel:02283812345"' in html
    assert "0228 3999 999" not in html


def test_the_footer_is_in_english_too(client):
    page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en").text

    assert "Need help?" in footer(page)
    assert "Frequently asked questions" in footer(page)


def test_the_footer_shows_a_units_edit_at_once(client, citizen, reachable):
    # The footer's markup is kept per unit row: an edited phone or closed unit
    # is never served from what an earlier request rendered.
    dossier = make_dossier(applicant=citizen, unit=reachable)
    track = {"code": dossier.code, "phone_last4": dossier.phone_last4}
    url = reverse("dossiers:dossier-track")
    before = footer(client.get(url, track).text)

    reachable.phone = "0228 399 9999"
    reachable.save()
    after = footer(client.get(url, track).text)
    reachable.is_active = False
    reachable.save()
    closed = footer(client.get(url, track).text)

    assert 'href="tel:02283812345"' in before
    assert 'href="tel:02283999999"' in after
    assert "tel:02283812345" not in after
    assert "tel:" not in closed
