"""Fuzzing the API with schemathesis: every operation of /api/schema/, as each of
the nine personas (API tokens from accounts.api), through the WSGI app in
process. No answer may be a server error, and every answer must match what the
schema says (body, content type, headers).

Each operation is tried twice per persona: once with everything generated
(paths that name nothing, odd queries, odd bodies), and once with its path
parameters naming the world's real objects (world.py), so that the 200 answers,
the ones the schema describes, are checked too. The examples are few and
derandomized: the run is the same every time and stays within the test budget.
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
    "/api/v1/chains/steps/{id}/retry/": {"id": lambda world: world.objects["step"].pk},
}


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
