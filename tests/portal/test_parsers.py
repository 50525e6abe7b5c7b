"""The API's JSON parser (portal/parsers.py): a body is one JSON object of
bounded depth; anything else is a 400 that says what is wrong, in Vietnamese
first, never a 500."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework import exceptions as drf_exceptions
from rest_framework import parsers as drf_parsers

from accounts.services import api_token_create
from dossiers.models import Dossier
from portal.parsers import MAX_DEPTH, JSONParser
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

TOKEN = reverse("accounts-api:auth-token")
SUBMIT = reverse("dossiers_api:dossier-list")


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def post(path: str, body: str | bytes, *, user=None, language: str = "vi", **extra):
    headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language, **extra}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {api_token_create(user=user)}"
    raw = body.encode() if isinstance(body, str) else body
    return Client().generic(
        "POST", path, raw, content_type="application/json", **headers
    )


def detail(response) -> str:
    assert response["Content-Type"] == "application/json", response.content[:200]
    return str(response.json()["detail"])


def test_a_body_nested_thousands_of_levels_deep_is_a_400_even_without_login():
    body = "[" * 5000 + "]" * 5000

    response = post(TOKEN, body)
    english = post(TOKEN, body, language="en")

    assert response.status_code == 400
    assert "lồng nhau quá sâu" in detail(response)
    assert english.status_code == 400
    assert "nested too deeply" in detail(english)


def test_a_body_nested_a_few_hundred_levels_is_refused_before_any_view_reads_it(
    citizen, unit_a
):
    # It parses, but saving it recursed again (json.dumps): a 500.
    procedure = ProcedureFactory()
    body = (
        f'{{"procedure": "{procedure.code}", "unit": "{unit_a.agency_code}", '
        f'"data": {nested(600)}}}'
    )

    response = post(SUBMIT, body, user=citizen)

    assert response.status_code == 400
    assert str(MAX_DEPTH) in detail(response)
    assert not Dossier.objects.filter(applicant=citizen).exists()


def test_a_body_within_the_depth_limit_reaches_the_view(citizen):
    response = post(SUBMIT, nested(MAX_DEPTH), user=citizen)

    assert response.status_code == 400
    # The view's own answer: fields missing, not a parse error.
    assert set(response.json()) == {"procedure", "unit", "data"}


def test_truncated_json_says_where_it_breaks():
    response = post(TOKEN, '{"username": "0123",\n "password": "ab')
    english = post(TOKEN, '{"username": "0123",\n "password": "ab', language="en")

    assert response.status_code == 400
    assert "dòng 2, cột 14" in detail(response)
    assert "line 2, column 14" in detail(english)


@pytest.mark.parametrize("body", ["[]", '["username"]', '"x"', "42", "null", "true"])
def test_a_json_body_that_is_not_an_object_is_refused(body, citizen):
    response = post(SUBMIT, body, user=citizen)
    english = post(SUBMIT, body, user=citizen, language="en")

    assert response.status_code == 400
    assert "phải là một đối tượng" in detail(response)
    assert "must be an object" in detail(english)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000])
def test_numbers_json_or_the_database_cannot_hold_are_refused(value):
    response = post(TOKEN, f'{{"username": {value}}}')

    assert response.status_code == 400
    assert "số không hợp lệ" in detail(response)


def test_a_body_not_in_utf8_is_refused():
    latin1 = '{"username": "café"}'.encode("latin-1")

    response = post(TOKEN, latin1)
    english = post(TOKEN, latin1, language="en")

    assert response.status_code == 400
    assert "UTF-8" in detail(response)
    assert "must be encoded in UTF-8" in detail(english)


def parse(text: str) -> Any:
    return JSONParser().parse(io.BytesIO(text.encode()), "application/json", {})


def test_depth_counts_objects_and_lists_on_every_branch():
    lists = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)

    assert parse(nested(MAX_DEPTH))
    assert parse(f'{{"a": 1, "b": {lists}}}')
    for too_deep in [
        nested(MAX_DEPTH + 1),
        f'{{"a": 1, "b": [{lists}]}}',
        # The deep branch after a shallow one.
        f'{{"a": [{{"b": [1, 2]}}, {{"c": {{}}}}], "d": {nested(MAX_DEPTH)}}}',
        # Deep enough to overflow a measure that recursed, shallow enough for json.
        nested(900),
    ]:
        with pytest.raises(drf_exceptions.ParseError) as refused:
            parse(too_deep)
        assert refused.value.detail.code == "too_deep", too_deep[:40]


def _api_views(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            yield pattern.callback


def test_every_api_view_reads_json_with_the_portal_s_parser():
    # A view that lists DRF's own JSONParser (e.g. to restate the defaults)
    # would take the deep bodies back: a 500.
    plain = sorted(
        f"{view.cls.__module__}.{view.cls.__name__}"
        for view in _api_views(get_resolver())
        if drf_parsers.JSONParser in view.cls.parser_classes
    )

    assert plain == []
