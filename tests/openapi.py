"""Check a real answer of the API against its OpenAPI schema (/api/schema/).

`api_call(user, "GET", "/api/v1/units/")` sends the request through the WSGI
app with schemathesis, as the fuzzing does (tests/security/test_api_fuzzing.py),
and fails when the answer is a server error or does not match the schema.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from accounts.services import api_token_create

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """Requests through the plain WSGI handler close "old" connections when they
    end, and on PostgreSQL that closes the test's own transaction. Django's test
    client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def api_call(
    user: Any,
    method: str,
    path: str,
    *,
    path_parameters: dict[str, Any] | None = None,
    query: dict[str, Any] | None = None,
    body: Any = None,
) -> Any:
    """The answer to `method path` as `user` (None: anonymous), once checked
    against the operation's schema."""
    with connection_kept_open():
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", get_wsgi_application()
        )
        operation = schema[path][method]
        token = api_token_create(user=user) if user else None
        headers = {"Authorization": f"Token {token}"} if token else {}
        extra = {} if body is None else {"body": body, "media_type": "application/json"}
        case = operation.Case(
            path_parameters=path_parameters or {}, query=query or {}, **extra
        )
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        return response
