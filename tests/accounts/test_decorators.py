import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.decorators import identity_level_required
from accounts.models import IdentityLevel


@identity_level_required(IdentityLevel.LEVEL_2)
def submit_linked_chain(request):
    return HttpResponse("submitted")


def _get(user):
    request = RequestFactory().get("/chains/submit/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = user
    return submit_linked_chain(request)


def test_level_2_passes(citizen):
    assert _get(citizen).content == b"submitted"


@pytest.mark.parametrize("level", [IdentityLevel.NONE, IdentityLevel.LEVEL_1])
def test_lower_levels_get_an_explanation_not_a_bare_403(citizen, level):
    citizen.identity_level = level
    citizen.save()

    response = _get(citizen)

    assert response.status_code == 403
    text = response.content.decode()
    assert "mức độ 2" in text
    assert "thu vân tay" in text
    assert "/accounts/oidc/login/" in text


def test_anonymous_users_go_to_login():
    response = _get(AnonymousUser())

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_the_api_permission_matches_the_decorator(citizen):
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    from accounts.permissions import identity_level_permission

    class Submit(APIView):
        permission_classes = [identity_level_permission(IdentityLevel.LEVEL_2)]

        def post(self, request):
            return HttpResponse("ok")

    def call(user):
        request = APIRequestFactory().post("/api/v1/chains/")
        force_authenticate(request, user=user)
        return Submit.as_view()(request)

    assert call(citizen).status_code == 200
    citizen.identity_level = IdentityLevel.LEVEL_1
    citizen.save()
    refused = call(citizen)
    assert refused.status_code == 403
    assert "mức độ 2" in str(refused.data["detail"])
