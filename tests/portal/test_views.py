import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD

STAFF_PAGES = ["portal:staff-home"]


@pytest.mark.django_db
def test_home_page_is_in_vietnamese_by_default(client):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert '<html lang="vi"' in response.text
    assert "Dịch vụ công trực tuyến" in response.text


@pytest.mark.django_db
def test_home_page_is_in_english_when_chosen(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("portal:home")}
    )
    response = client.get(response.headers["Location"])

    assert '<html lang="en"' in response.text
    assert "Online public services" in response.text
    assert "Dịch vụ công trực tuyến" not in response.text


@pytest.mark.django_db
def test_english_is_also_chosen_from_the_browser_language(client):
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Online public services" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:help", "portal:about"])
def test_site_pages_render(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_anonymous_user_is_sent_to_login_from_staff_pages(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("persona", ["user_without_role", "citizen"])
def test_user_without_a_staff_role_gets_403_on_staff_pages(
    client, request, persona, name
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(name))

    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize(
    "persona", ["officer", "specialist", "leader", "district_staff", "admin_user"]
)
def test_staff_roles_reach_staff_pages(client, request, login_staff, persona, name):
    user = request.getfixturevalue(persona)
    login_staff(client, user)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert str(user.org_unit) in response.text


def test_login_with_username_and_password(client, citizen):
    response = client.post(
        reverse("accounts:login"), {"username": citizen.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("portal:home")).context["user"] == citizen


@pytest.mark.django_db
def test_large_text_mode_persists_in_a_cookie(client):
    response = client.post(
        reverse("portal:text-size"), {"size": "large", "next": reverse("portal:help")}
    )

    assert response.headers["Location"] == reverse("portal:help")
    page = client.get(reverse("portal:help"))
    assert '<html lang="vi" class="large-text">' in page.text

    client.post(reverse("portal:text-size"), {"size": "normal", "next": "/"})
    assert 'class="large-text"' not in client.get(reverse("portal:help")).text


@pytest.mark.django_db
def test_text_size_switch_does_not_redirect_off_site(client):
    response = client.post(
        reverse("portal:text-size"), {"size": "large", "next": "https://evil.example/"}
    )

    assert response.headers["Location"] == "/"


@pytest.mark.django_db
def test_pages_use_only_our_own_static_assets(client):
    page = client.get(reverse("portal:home")).text

    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_without_the_totp_step_is_sent_back_to_login(client, officer, name):
    # A session with the password alone (as force_login makes) is not enough.
    client.force_login(officer)

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:login"))


def test_amounts_group_thousands_the_vietnamese_way():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("vi"):
        assert intcomma(1250000) == "1.250.000"
    with translation.override("en"):
        assert intcomma(1250000) == "1,250,000"
