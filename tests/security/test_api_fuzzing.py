"""Fuzzing the API with schemathesis: every operation of /api/schema/, as each of
the nine personas (API tokens from accounts.api), through the WSGI app in
process. No answer may be a server error, and every answer must match what the
schema says (body, content type, headers).

Each operation is tried twice per persona: once with everything generated
(paths that name nothing, odd queries, odd bodies), and once with its path
parameters naming the world's real objects (world.py), so that the 200 answers,
the ones the schema describes, are checked too. The examples are few and
derandomized: the run is the same every time and stays within the test budget.

Each operation also gets the bodies no schema generates (`MALFORMED`): nested
thousands of levels deep, truncated, of the wrong top-level type, of a media type
it does not take, not UTF-8, over the size limit. None may be a server error or
leave JSON: the answer is a 4xx in the API's shape (portal/errors.py).
"""

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from tests.openapi import connection_kept_open

from .world import PERSONAS, World

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
EXAMPLES = 4  # per operation, persona and mode; raise it locally to search deeper
# Path parameters naming the world's real objects.
REAL_PATHS = {
    "code": lambda world: world.objects["dossier"].code,
    "id": lambda world: world.objects["payment"].pk,
    "token": lambda world: world.objects["result"].token,
    "pk": lambda world: world.objects["draft"].pk,
    "attachment_id": lambda world: world.objects["attachment"].pk,
}
# ... where a parameter means something else on one path.
REAL_PATHS_BY_OPERATION = {
    "/api/v1/procedures/{code}/": {
        "code": lambda world: world.objects["procedure"].code
    },
    "/api/v1/procedures/{code}/places/": {
        "code": lambda world: world.objects["procedure"].code
    },
    "/api/v1/chains/steps/{id}/retry/": {"id": lambda world: world.objects["step"].pk},
    "/api/v1/feedback/{id}/answer/": {"id": lambda world: world.objects["feedback"].pk},
}


# Over DATA_UPLOAD_MAX_MEMORY_SIZE as lowered by the test (64 KiB): once within
# what the NUL check reads (1 MiB), once past it, where DRF reads the body.
_OVERSIZED = b'{"data": "' + b"x" * 70_000 + b'"}'
_OVERSIZED_PAST_NUL_CHECK = b'{"data": "' + b"x" * 1_100_000 + b'"}'
MALFORMED: dict[str, tuple[str, bytes]] = {
    "nested 5,000 deep": ("application/json", b"[" * 5000 + b"]" * 5000),
    "objects nested 600 deep": (
        "application/json",
        b'{"data": ' + b'{"a": ' * 600 + b"1" + b"}" * 601,
    ),
    "truncated": ("application/json", b'{"procedure": "1.00'),
    "a list": ("application/json", b'[{"procedure": "1.001193"}]'),
    "a string": ("application/json", b'"1.001193"'),
    "NaN and 1e999": ("application/json", b'{"a": NaN, "b": 1e999}'),
    "not UTF-8": ("application/json", '{"note": "café"}'.encode("latin-1")),
    "an unsupported media type": ("application/xml", b"<hoso><a>1</a></hoso>"),
    "multipart without boundary": ("multipart/form-data", b"--x\r\nnope"),
    "oversized": ("application/json", _OVERSIZED),
    "oversized past the NUL check": ("application/json", _OVERSIZED_PAST_NUL_CHECK),
}
JSON_TYPES = ("application/json", "application/problem+json")


def _real_path(world: World, path: str, names: list[str]) -> dict[str, Any]:
    chosen = REAL_PATHS | REAL_PATHS_BY_OPERATION.get(path, {})
    return {name: chosen[name](world) for name in names}


def _headers(world: World, persona: str) -> dict[str, str]:
    token = world.tokens.get(persona)
    return {"Authorization": f"Token {token}"} if token else {}


def _fuzz(strategy: Any, headers: dict[str, str], checks: list[Any]) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    run()


@pytest.fixture
def api_schema(db):
    with connection_kept_open():
        yield schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", get_wsgi_application()
        )


def test_no_api_operation_gives_a_server_error_or_breaks_its_schema(
    world, api_schema, settings
):
    # The tracking throttle (20/min) would answer 429 to most of the run.
    settings.THROTTLE_TRACK = "100000/min"
    operations = [result.ok() for result in api_schema.get_all_operations()]
    failures = []
    runs = 0
    for operation in operations:
        names = [parameter.name for parameter in operation.path_parameters]
        real = _real_path(world, operation.path, names)
        modes = [(operation.as_strategy(), CHECKS)]
        if names:
            modes.append((operation.as_strategy(path_parameters=real), CHECKS))
        if len(operation.query) or len(operation.body):
            # Queries and bodies the schema forbids: refused, never a server
            # error (their 400 bodies are not in the schema).
            negative = operation.as_strategy(
                GenerationMode.NEGATIVE, path_parameters=real
            )
            modes.append((negative, [not_a_server_error]))
        for persona in PERSONAS:
            for strategy, checks in modes:
                runs += 1
                try:
                    _fuzz(strategy, _headers(world, persona), checks)
                except (Exception, BaseExceptionGroup) as exc:
                    failures.append(f"{operation.label} as {persona}:\n{exc}")

    assert failures == [], "\n\n".join(failures)
    assert len(operations) >= 23
    assert runs >= len(operations) * len(PERSONAS)


def test_no_api_operation_gives_a_server_error_on_a_malformed_body(
    world, api_schema, settings
):
    settings.THROTTLE_TRACK = "100000/min"
    settings.LOGIN_RATE_LIMIT = 100000
    settings.DATA_EXPORT_RATE_LIMIT = 100000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    operations = [result.ok() for result in api_schema.get_all_operations()]
    failures = []
    for operation in operations:
        names = [parameter.name for parameter in operation.path_parameters]
        case = operation.Case(path_parameters=_real_path(world, operation.path, names))
        for persona in PERSONAS:
            for kind, (media_type, body) in MALFORMED.items():
                headers = {**_headers(world, persona), "Content-Type": media_type}
                response = case.call(headers=headers, data=body)
                content_type = response.headers.get("content-type", [""])[0]
                if response.status_code >= 500 or (
                    response.status_code >= 400
                    and not content_type.startswith(JSON_TYPES)
                ):
                    failures.append(
                        f"{operation.label} as {persona}, {kind}: "
                        f"{response.status_code} {content_type} "
                        f"{response.content[:200]!r}"
                    )

    assert failures == [], "\n".join(failures)
    assert len(operations) >= 23
