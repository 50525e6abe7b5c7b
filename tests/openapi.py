"""Check a real answer of the API against its OpenAPI schema (/api/schema/).

`api_call(user, "GET", "/api/v1/units/")` sends the request through the WSGI
app with schemathesis, as the fuzzing does (tests/security/test_api_fuzzing.py),
and fails when the answer is a server error or does not match the schema.
"""

from typing import Any

import schemathesis
from django.core.wsgi import get_wsgi_application
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from accounts.services import api_token_create

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


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
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application()
    )
    operation = schema[path][method]
    headers = {"Authorization": f"Token {api_token_create(user=user)}"} if user else {}
    extra = {} if body is None else {"body": body, "media_type": "application/json"}
    case = operation.Case(
        path_parameters=path_parameters or {}, query=query or {}, **extra
    )
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    return response
