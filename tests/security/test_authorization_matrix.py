"""The authorization matrix: every route of the URL conf and every operation of
the OpenAPI schema, for each of the nine personas, answers as its access rule
says, and a refused answer holds none of the citizen's private data.

The routes are found by walking the URL conf (`routes.url_routes()`) and the
operations by drf-spectacular's generator, so a new route is checked as soon as
it exists; one that `ACCESS` below does not classify fails the test by name
("unclassified route"). Each URL parameter names a real object of the citizen of
unit A (world.py); `routes.ROUTE_PARAMS` says which.
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from dossiers.models import Dossier

from .routes import (
    DENIED,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    UNAUTHORIZED,
    Route,
    body_text,
    build_url,
    outcome,
    route_params,
    url_routes,
)
from .world import PERSONAS, World

pytestmark = pytest.mark.django_db

CITIZENS = ("citizen", "other_citizen")
STAFF = (
    "officer",
    "officer_other_commune",
    "specialist",
    "leader",
    "district_staff",
    "admin_user",
)


# --- Access rules: persona -> expected outcome ----------------------------------------

# An outcome, or the set of outcomes that are all right.
Rule = dict[str, str | frozenset[str]]


def rule(default: str | frozenset[str], **personas: str | frozenset[str]) -> Rule:
    unknown = set(personas) - set(PERSONAS)
    assert not unknown, unknown
    return {persona: personas.get(persona, default) for persona in PERSONAS}


def everyone(result: str | frozenset[str]) -> Rule:
    return rule(result)


def staff(result: str) -> dict[str, str]:
    return dict.fromkeys(STAFF, result)


PUBLIC = everyone(OK)
LOGGED_IN = rule(OK, anonymous=LOGIN)
# citizen_required pages without an object: staff get 403.
CITIZEN_AREA = rule(OK, anonymous=LOGIN, **staff(FORBIDDEN))
# ... and with the citizen's own object: another citizen gets 404.
CITIZEN_OWN = rule(OK, anonymous=LOGIN, other_citizen=NOT_FOUND, **staff(FORBIDDEN))
CITIZEN_POST = rule(NOT_ALLOWED, anonymous=LOGIN, **staff(FORBIDDEN))
# Whoever may see the dossier (dossiers_visible_to): its applicant, the staff of
# its units, district staff of the area, administrators; 404 to everyone else.
DOSSIER = rule(
    OK, anonymous=LOGIN, other_citizen=NOT_FOUND, officer_other_commune=NOT_FOUND
)
# Only the recipient; everyone else 404.
OWN_ONLY = rule(NOT_FOUND, anonymous=LOGIN, citizen=OK)
# staff_required pages: citizens get 403.
STAFF_AREA = rule(OK, anonymous=LOGIN, citizen=FORBIDDEN, other_citizen=FORBIDDEN)
STAFF_POST = rule(
    NOT_ALLOWED, anonymous=LOGIN, citizen=FORBIDDEN, other_citizen=FORBIDDEN
)
STAFF_DOSSIER = STAFF_AREA | {"officer_other_commune": NOT_FOUND}
# A citizen's profile: staff of the area the citizen lives in (commune A).
STAFF_CITIZEN = STAFF_DOSSIER
# The one-stop counter: receiving officers (and administrators).
COUNTER = STAFF_AREA | dict.fromkeys(
    ("specialist", "leader", "district_staff"), FORBIDDEN
)
# POST only: the method is refused before the role is checked.
COUNTER_POST = STAFF_POST
# Dashboards: leaders (their unit), district staff (their area), administrators.
STATS = STAFF_AREA | dict.fromkeys(
    ("officer", "officer_other_commune", "specialist"), FORBIDDEN
)
# The result registers: officers who issue and sign (their own agency's entries
# only), administrators; district staff get 403.
REGISTERS = STAFF_AREA | {"district_staff": FORBIDDEN}
ADMIN_SITE = rule(LOGIN, admin_user=OK)
# Adding and deleting: the append-only tables (logs, payments, tokens, agencies'
# records) refuse even an administrator (403); the others answer.
ADMIN_WRITE = rule(LOGIN) | {"admin_user": frozenset({OK, FORBIDDEN})}

# The API answers 401 (with WWW-Authenticate) where a page sends to the login.
API_PUBLIC = PUBLIC
API_LOGGED_IN = rule(OK, anonymous=UNAUTHORIZED)
API_DOSSIER = DOSSIER | {"anonymous": UNAUTHORIZED}
API_STATS = STATS | {"anonymous": UNAUTHORIZED}
API_STAFF = STAFF_AREA | {"anonymous": UNAUTHORIZED}
API_CITIZEN = CITIZEN_AREA | {"anonymous": UNAUTHORIZED}
API_CITIZEN_OWN = CITIZEN_OWN | {"anonymous": UNAUTHORIZED}
API_CITIZEN_POST = CITIZEN_POST | {"anonymous": UNAUTHORIZED}
API_POST_ONLY = rule(NOT_ALLOWED, anonymous=UNAUTHORIZED)
API_STAFF_POST = STAFF_POST | {"anonymous": UNAUTHORIZED}

# Unsafe API operations: who is refused, and how (the others are not sent).
WRITE_DOSSIER = {
    "anonymous": UNAUTHORIZED,
    "other_citizen": NOT_FOUND,
    "officer_other_commune": NOT_FOUND,
}
# The applicant only: staff who may see the dossier are refused (403).
WRITE_APPLICANT = dict.fromkeys(STAFF, FORBIDDEN) | WRITE_DOSSIER
WRITE_SUBMIT = dict.fromkeys(STAFF, FORBIDDEN) | {"anonymous": UNAUTHORIZED}
WRITE_DRAFT = WRITE_SUBMIT | {"other_citizen": NOT_FOUND}
WRITE_STAFF = {"anonymous": UNAUTHORIZED, "citizen": FORBIDDEN}
WRITE_STAFF |= {"other_citizen": FORBIDDEN}
WRITE_PUBLIC: dict[str, str] = {}
# Feedback: a unit's officers (and administrators) only; other units 404. Sending
# is open to anyone but staff accounts; an empty body is refused (400).
FEEDBACK_UNIT = STAFF_AREA | dict.fromkeys(
    ("officer_other_commune", "district_staff"), NOT_FOUND
)
WRITE_FEEDBACK = dict.fromkeys(STAFF, FORBIDDEN) | dict.fromkeys(
    ("anonymous", "citizen", "other_citizen"), "400"
)
WRITE_CODE = dict.fromkeys(PERSONAS, "400")
WRITE_FEEDBACK_UNIT = WRITE_STAFF | dict.fromkeys(
    ("officer_other_commune", "district_staff"), NOT_FOUND
)


@dataclass(frozen=True)
class Access:
    get: Rule  # GET (and HEAD: the same, or 405)
    write: dict[str, str] | None = None  # unsafe API operations


# Route (shell-style pattern on "namespace:name", or on the route itself when it
# has no name) -> access rule. The first match wins.
ACCESS: list[tuple[str, Access]] = [
    # Site pages, health and monitoring.
    ("portal:home", Access(PUBLIC)),
    ("portal:help", Access(PUBLIC)),
    ("portal:about", Access(PUBLIC)),
    ("portal:staff-home", Access(STAFF_AREA)),
    ("portal:text-size", Access(everyone(NOT_ALLOWED))),  # POST only
    # Public; 503 when a service is down (with Redis but no worker, in CI).
    ("healthz", Access(everyone(frozenset({OK, "503"})))),
    ("metrics", Access(everyone(NOT_FOUND))),  # token or localhost only
    ("set_language", Access(PUBLIC)),
    ("api-schema", Access(PUBLIC)),
    ("api-docs", Access(PUBLIC)),
    # Logging in and out, signing up, password reset, electronic identity.
    ("accounts:login", Access(PUBLIC)),
    ("accounts:login-otp", Access(everyone(LOGIN))),  # no password step yet
    ("accounts:logout", Access(everyone(NOT_ALLOWED))),  # POST only
    ("accounts:signup", Access(PUBLIC)),
    ("accounts:oidc-login", Access(everyone("503"))),  # no provider configured
    ("accounts:oidc-callback", Access(everyone("400"))),  # no state: refused
    ("accounts:password-reset*", Access(PUBLIC)),
    ("accounts-api:auth-token", Access(everyone(NOT_ALLOWED), WRITE_PUBLIC)),
    ("accounts-api:me", Access(API_LOGGED_IN)),
    # The citizen's own pages.
    ("accounts:account-home", Access(CITIZEN_AREA)),
    ("accounts:profile-edit", Access(CITIZEN_AREA)),
    ("accounts:household-member-add", Access(CITIZEN_AREA)),
    ("accounts:household-member-*", Access(CITIZEN_OWN)),
    ("accounts:stored-document-list", Access(CITIZEN_AREA)),
    ("accounts:stored-document-add", Access(CITIZEN_AREA)),
    ("accounts:stored-document-*", Access(CITIZEN_OWN)),
    ("accounts:citizen-lookup", Access(STAFF_AREA)),
    ("accounts:citizen-detail", Access(STAFF_CITIZEN)),
    ("accounts:sms-outbox", Access(LOGGED_IN)),  # demo mode only
    # Everything held about the citizen, as a ZIP: their own only.
    ("portal:data-export", Access(CITIZEN_AREA)),
    ("data-export-api", Access(API_CITIZEN)),
    # The bundled test identity provider (demo mode only).
    ("idp:login", Access(PUBLIC)),
    ("oauth2_provider:authorize", Access(PUBLIC)),  # to its login page
    ("oauth2_provider:token", Access(everyone(NOT_ALLOWED))),
    ("oauth2_provider:oidc-connect-discovery-info", Access(PUBLIC)),
    ("oauth2_provider:jwks-info", Access(PUBLIC)),
    ("oauth2_provider:user-info", Access(everyone(UNAUTHORIZED))),  # bearer only
    # The public catalogue.
    ("procedures:*", Access(PUBLIC)),
    ("procedures-api:*", Access(API_PUBLIC)),
    # Where a procedure can be filed on a day: public, like the catalogue (issue 17).
    ("procedures-api:procedure-places", Access(API_PUBLIC)),
    # Organisation units in force on a day: public reference data (issue 17).
    ("units-api:*", Access(API_PUBLIC)),
    # The rule set in force on a day: public reference data (issue 17).
    ("rules-api:*", Access(API_PUBLIC)),
    # Citizens' dossiers: the wizard, drafts, their actions.
    ("dossiers:dossier-mine", Access(CITIZEN_AREA)),
    ("dossiers:dossier-create", Access(CITIZEN_AREA)),
    ("dossiers:draft-*", Access(CITIZEN_OWN)),
    ("dossiers:dossier-submitted", Access(CITIZEN_OWN)),
    ("dossiers:dossier-supplement", Access(CITIZEN_OWN)),
    ("dossiers:dossier-withdraw", Access(CITIZEN_OWN)),
    ("dossiers:dossier-stop-request", Access(CITIZEN_OWN)),
    ("dossiers:dossier-rate", Access(CITIZEN_OWN)),
    ("chains:chain-resubmit", Access(CITIZEN_OWN)),
    # Pages of a dossier for whoever may see it.
    ("dossiers:dossier-detail", Access(DOSSIER)),
    ("dossiers:result-download", Access(DOSSIER)),
    ("dossiers:attachment-download", Access(DOSSIER)),
    ("dossiers:slip-pdf", Access(DOSSIER)),
    ("payments:payment-detail", Access(DOSSIER)),
    ("payments:payment-receipt", Access(DOSSIER)),
    ("payments:payment-return", Access(LOGGED_IN)),
    ("payments:payment-check", Access(rule(NOT_ALLOWED, anonymous=LOGIN))),
    ("payments:payment-start", Access(CITIZEN_POST)),
    # Public with a secret: tracking (code + phone digits), result verification.
    ("dossiers:dossier-track", Access(PUBLIC)),
    ("dossiers:result-verify", Access(PUBLIC)),
    # Officers' pages.
    ("dossiers:queue", Access(STAFF_AREA)),
    ("dossiers:calendar-due", Access(STAFF_AREA)),
    ("dossiers:dossier-work", Access(STAFF_DOSSIER)),
    ("dossiers:result-draft-download", Access(STAFF_DOSSIER)),
    ("dossiers:queue-receive", Access(STAFF_POST)),
    ("dossiers:queue-sign", Access(STAFF_POST)),
    ("dossiers:dossier-assign", Access(STAFF_POST)),
    ("dossiers:dossier-act", Access(STAFF_POST)),
    ("dossiers:dossier-stop-at-counter", Access(STAFF_POST)),
    ("dossiers:tracking-book", Access(STAFF_AREA)),
    ("registers:register-search", Access(REGISTERS)),
    ("payments:payment-cash", Access(STAFF_POST)),
    ("dossiers:counter-citizen-create", Access(COUNTER_POST)),
    ("dossiers:counter-reset", Access(COUNTER_POST)),
    ("dossiers:counter-*", Access(COUNTER)),
    ("chains:step-failed", Access(STAFF_AREA)),
    ("chains:step-retry", Access(STAFF_POST)),
    ("national:sync-failed", Access(STAFF_AREA)),
    ("national:sync-retry", Access(STAFF_POST)),
    # The national portal's twin (demo mode only): staff.
    ("national:sandbox", Access(STAFF_AREA)),
    ("national:sandbox-push", Access(STAFF_POST)),
    ("chains:handoff-retry", Access(STAFF_POST)),
    # Notifications: one's own.
    ("notifications:notification-open", Access(OWN_ONLY)),
    ("notifications:notification-read-all", Access(rule(NOT_ALLOWED, anonymous=LOGIN))),
    ("notifications:*", Access(LOGGED_IN)),
    ("notifications-api:notification-list", Access(API_LOGGED_IN)),
    # The sandbox payment platform (demo mode only): its own secrets.
    ("paygate:pay", Access(everyone("400"))),  # no signed order: refused
    ("paygate:order-complete", Access(everyone(NOT_ALLOWED))),  # POST only
    ("paygate:query", Access(everyone(NOT_ALLOWED))),  # POST only
    # Dashboards; how the figures are computed is public (it holds no figure).
    ("dashboards:stats-methods", Access(PUBLIC)),
    ("dashboards:*", Access(STATS)),
    ("dashboards-api:*", Access(API_STATS)),
    # The dossier API.
    ("dossiers_api:dossier-list", Access(API_LOGGED_IN, WRITE_SUBMIT)),
    ("dossiers_api:dossier-detail", Access(API_DOSSIER)),
    ("dossiers_api:dossier-action", Access(API_POST_ONLY, WRITE_DOSSIER)),
    ("dossiers_api:dossier-attachments", Access(API_POST_ONLY, WRITE_DOSSIER)),
    ("dossiers_api:dossier-stop-request", Access(API_POST_ONLY, WRITE_APPLICANT)),
    ("dossiers_api:track", Access(API_PUBLIC)),
    ("dossiers_api:verify", Access(API_PUBLIC)),
    ("dossiers_api:calendar-due", Access(API_PUBLIC)),
    # Drafts: a citizen's own (staff file at the counter instead).
    ("drafts_api:draft-list", Access(API_CITIZEN, WRITE_SUBMIT)),
    ("drafts_api:draft-detail", Access(API_CITIZEN_OWN, WRITE_DRAFT)),
    ("drafts_api:draft-attachments", Access(API_CITIZEN_POST, WRITE_DRAFT)),
    ("drafts_api:draft-attachment-detail", Access(API_CITIZEN_POST, WRITE_DRAFT)),
    ("drafts_api:draft-submit", Access(API_CITIZEN_POST, WRITE_DRAFT)),
    ("payments-api:dossier-payment-create", Access(API_POST_ONLY, WRITE_DOSSIER)),
    ("payments-api:payment-callback", Access(everyone(NOT_ALLOWED), WRITE_PUBLIC)),
    # The national portal's push: signed by it, so unsigned from anyone: 401.
    (
        "national_api:inbound",
        Access(everyone(NOT_ALLOWED), dict.fromkeys(PERSONAS, UNAUTHORIZED)),
    ),
    ("payments-api:payment-detail", Access(API_DOSSIER)),
    ("chains_api:failed-list", Access(API_STAFF)),
    ("chains_api:step-retry", Access(API_STAFF_POST, WRITE_STAFF)),
    # Citizens' feedback (issue 20): the form and the published answers are
    # public; a unit's feedback is for its officers (and administrators).
    ("feedback:feedback-public", Access(PUBLIC)),
    ("feedback:feedback-create", Access(PUBLIC)),
    ("feedback:feedback-sent", Access(PUBLIC)),
    ("feedback:feedback-mine", Access(CITIZEN_AREA)),
    ("feedback:feedback-queue", Access(STAFF_AREA)),
    ("feedback:feedback-work", Access(FEEDBACK_UNIT)),
    ("feedback:feedback-paper", Access(FEEDBACK_UNIT)),
    ("feedback-api:feedback-list", Access(API_LOGGED_IN, WRITE_FEEDBACK)),
    ("feedback-api:feedback-phone-code", Access(everyone(NOT_ALLOWED), WRITE_CODE)),
    ("feedback-api:feedback-public", Access(API_PUBLIC)),
    ("feedback-api:feedback-answer", Access(API_POST_ONLY, WRITE_FEEDBACK_UNIT)),
    # The admin site: administrators with a TOTP-verified session only.
    ("admin:login", Access(PUBLIC)),
    ("admin:logout", Access(rule(OK, admin_user=NOT_ALLOWED))),  # to its index
    ("admin/(?P<url>.*)$", Access(rule(LOGIN, admin_user=NOT_FOUND))),
    ("admin:*_add", Access(ADMIN_WRITE)),
    ("admin:*_delete", Access(ADMIN_WRITE)),
    # Asked without its parameters, the admin's autocomplete refuses (403).
    ("admin:autocomplete", Access(rule(LOGIN, admin_user=FORBIDDEN))),
    # django-otp's QR code needs the optional `qrcode` package: 503 without it.
    ("admin:otp_totp_totpdevice_qrcode", Access(rule(LOGIN, admin_user="503"))),
    # Importing a province's list of procedures received regardless of
    # administrative boundary: those who may add to it (issue 17).
    ("admin:procedures_anywhereinprovince_import", Access(ADMIN_WRITE)),
    ("admin:*", Access(ADMIN_SITE)),
    ("admin/*", Access(ADMIN_SITE)),  # the unnamed object redirects
]

# Query strings that make a public route do its real work.
QUERIES: dict[str, dict[str, str]] = {
    "dossiers:dossier-track": {"code": "{dossier.code}", "phone_last4": "{last4}"},
    "dossiers_api:track": {"code": "{dossier.code}", "phone_last4": "{last4}"},
    "procedures-api:procedure-places": {"on": "2026-03-09"},
    "dossiers_api:calendar-due": {
        "procedure": "{procedure.code}",
        "received_at": "2026-03-09T10:00",
    },
}


def access_for(route_key: str) -> Access | None:
    for pattern, access in ACCESS:
        if fnmatchcase(route_key, pattern):
            return access
    return None


# --- The world's objects as URL parameters ------------------------------------------


def _objects(world: World) -> dict[str, Any]:
    return world.objects | {
        "citizen": world.users["citizen"],
        "dossier_type": ContentType.objects.get_for_model(Dossier).pk,
    }


def _query(route: Route, objects: dict[str, Any]) -> dict[str, str]:
    last4 = objects["dossier"].phone_last4
    return {
        name: value.format(last4=last4, **objects)
        for name, value in QUERIES.get(route.key, {}).items()
    }


def _set(expected: str | frozenset[str]) -> frozenset[str]:
    return expected if isinstance(expected, frozenset) else frozenset({expected})


def _leaks(response: Any, private: Iterable[str]) -> list[str]:
    text = body_text(response)
    return [value for value in private if value and value in text]


@dataclass
class Matrix:
    checked: int = 0
    problems: list[str] | None = None
    # Private values seen in allowed answers: proof that the leak search looks
    # for values the pages really show.
    shown: set[str] | None = None

    def __post_init__(self) -> None:
        self.problems = []
        self.shown = set()

    def add(self, message: str) -> None:
        assert self.problems is not None
        self.problems.append(message)


def _clients(world: World) -> dict[str, Client]:
    return {persona: world.client(persona) for persona in PERSONAS}


def _check_route(
    route: Route,
    access: Access,
    world: World,
    clients: dict[str, Client],
    matrix: Matrix,
) -> None:
    objects = _objects(world)
    url = build_url(route, route_params(route, objects))
    query = _query(route, objects)
    for persona in PERSONAS:
        expected = access.get[persona]
        client = clients[persona]
        response = client.get(url, query)
        got = outcome(response)
        matrix.checked += 1
        if got not in _set(expected):
            matrix.add(f"GET {url} as {persona}: {got}, expected {expected}")
        if got == OK and matrix.shown is not None:
            matrix.shown.update(_leaks(response, world.private))
        if got in DENIED and persona != "citizen":
            leaked = _leaks(response, world.private)
            if leaked:
                matrix.add(f"GET {url} as {persona} ({got}) shows {leaked}")
        if got in DENIED:
            # HEAD must not open what GET keeps shut (where GET is allowed, HEAD
            # is the same view again: not worth the time).
            head = outcome(client.head(url, query))
            if head not in DENIED | {NOT_ALLOWED}:
                matrix.add(f"HEAD {url} as {persona}: {head}, GET gave {got}")


def unclassified_routes(routes: Iterable[Route]) -> str:
    """The message naming every route ACCESS does not classify ("" if none)."""
    missing = [route.key for route in routes if access_for(route.key) is None]
    if not missing:
        return ""
    return (
        "unclassified route(s): add each to ACCESS in "
        f"tests/security/test_authorization_matrix.py: {', '.join(missing)}"
    )


def test_a_route_missing_from_the_table_is_named():
    new = Route(key="reports:secret-export", route="reports/x/", name="x", params=())

    assert unclassified_routes([new]) == (
        "unclassified route(s): add each to ACCESS in "
        "tests/security/test_authorization_matrix.py: reports:secret-export"
    )
    assert unclassified_routes(url_routes()) == ""


def test_every_route_of_the_url_conf_answers_each_persona_as_its_rule_says(world):
    routes = url_routes()
    assert not unclassified_routes(routes), unclassified_routes(routes)
    clients = _clients(world)
    matrix = Matrix()
    for route in routes:
        access = access_for(route.key)
        assert access is not None
        _check_route(route, access, world, clients, matrix)

    assert matrix.problems == [], "\n".join(matrix.problems or [])
    assert matrix.checked > 9 * 300
    assert set(world.private) == matrix.shown


# Pages of the development features: with them off (the production default),
# nobody reaches them.
DEV_ROUTES = (
    "idp:*",
    "oauth2_provider:*",
    "paygate:*",
    "accounts:sms-outbox",
    "national:sandbox",
    "national:sandbox-push",
)


def test_with_the_demo_features_off_their_pages_are_closed_to_everyone(world, settings):
    settings.DEMO_MODE = settings.PAYGATE_ENABLED = settings.IDP_ENABLED = False
    settings.NATIONAL_SANDBOX_ENABLED = False
    clients = _clients(world)
    objects = _objects(world)
    problems = []
    routes = [
        route
        for route in url_routes()
        if any(fnmatchcase(route.key, pattern) for pattern in DEV_ROUTES)
    ]
    for route in routes:
        url = build_url(route, route_params(route, objects))
        for persona in PERSONAS:
            got = outcome(clients[persona].get(url))
            if got not in DENIED:
                problems.append(f"GET {url} as {persona}: {got}")
    assert len(routes) == 12
    assert problems == [], "\n".join(problems)


# --- The OpenAPI schema's operations -----------------------------------------------


def schema_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation drf-spectacular documents."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _openapi_path(route: Route) -> str:
    # drf-spectacular calls a primary key "id" (SCHEMA_COERCE_PATH_PK).
    path = re.sub(r"<(?:\w+:)?pk>", "{id}", route.route)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)


def _api_routes() -> dict[str, Route]:
    return {_openapi_path(route): route for route in url_routes()}


def test_every_operation_of_the_openapi_schema_is_a_classified_route():
    routes = _api_routes()
    problems = []
    for method, path in schema_operations():
        route = routes.get(path)
        if route is None:
            problems.append(f"{method} {path}: no such route in the URL conf")
            continue
        access = access_for(route.key)
        if access is None:
            problems.append(f"{method} {path}: unclassified route {route.key}")
        elif method != "GET" and access.write is None:
            problems.append(
                f"{method} {path}: unclassified operation (say who is refused in "
                f"the `write` rule of {route.key})"
            )
    assert problems == []


def _fingerprint() -> dict[str, Any]:
    """Row counts of every table, and each dossier's status and events."""
    counts: dict[str, Any] = {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }
    counts["dossiers"] = sorted(
        Dossier.objects.values_list("code", "status", "updated_at")
    )
    return counts


UNSAFE_BODIES: dict[str, Callable[[World], dict[str, Any]]] = {
    "dossiers_api:dossier-list": lambda world: {
        "procedure": world.objects["procedure"].code,
        "unit": world.objects["unit_a"].agency_code,
        "data": {"full_name": "Người Thử", "address": "Xóm 1"},
    },
    "dossiers_api:dossier-action": lambda world: {"action": "receive"},
}


def test_every_unsafe_api_operation_refuses_the_wrong_personas_and_changes_nothing(
    world,
):
    routes = _api_routes()
    objects = _objects(world)
    clients = _clients(world)
    problems = []
    sent = 0
    before = _fingerprint()
    for method, path in schema_operations():
        if method == "GET":
            continue
        route = routes[path]
        access = access_for(route.key)
        assert access is not None
        assert access.write is not None
        url = build_url(route, route_params(route, objects))
        body = UNSAFE_BODIES.get(route.key, lambda world: {})(world)
        for persona, expected in access.write.items():
            response = clients[persona].generic(
                method,
                url,
                data=json.dumps(body),
                content_type="application/json",
            )
            sent += 1
            got = outcome(response)
            if got != expected:
                problems.append(
                    f"{method} {url} as {persona}: {got}, expected {expected}"
                )
            if persona != "citizen" and _leaks(response, world.private):
                problems.append(f"{method} {url} as {persona} shows private data")
    assert problems == [], "\n".join(problems)
    assert _fingerprint() == before
    assert sent >= 15


# --- Processing as officers practise it (issue 18) ----------------------------------

# Each action of appraisal, signature and issue, from a status that allows it: the
# one persona who may do it, and how every other persona is refused (nothing is
# written). A specialist cannot sign, a leader of another unit cannot sign (nor
# see the dossier), a citizen can do none.
PROCESSING_ACTIONS = [
    (
        "appraise",
        "processing",
        {"generate": True, "title": "Giấy khai sinh"},
        "specialist",
    ),
    ("submit_for_signature", "appraised", {}, "specialist"),
    ("send_back", "awaiting_signature", {"reason": "Sai ngày sinh"}, "leader"),
    ("sign", "awaiting_signature", {}, "leader"),
    ("issue_result", "signed", {}, "officer"),
    ("return_result", "result_ready", {"method": "online"}, "officer"),
]
PROCESSING_REFUSED = {
    "anonymous": UNAUTHORIZED,
    "citizen": FORBIDDEN,
    "other_citizen": NOT_FOUND,
    "officer": FORBIDDEN,
    "officer_other_commune": NOT_FOUND,
    "specialist": FORBIDDEN,
    "leader": FORBIDDEN,
    "leader_other_unit": NOT_FOUND,
    "district_staff": FORBIDDEN,
}


@pytest.mark.parametrize(
    ("action", "status", "body", "allowed"),
    PROCESSING_ACTIONS,
    ids=[a[0] for a in PROCESSING_ACTIONS],
)
def test_the_processing_actions_answer_only_their_actor(
    action,
    status,
    body,
    allowed,
    citizen,
    other_citizen,
    officer,
    officer_other_commune,
    specialist,
    leader,
    district_staff,
    unit_a,
    unit_b,
):
    from django.urls import reverse
    from rest_framework.test import APIClient

    from accounts.roles import Role
    from tests.accounts.factories import UserFactory
    from tests.dossiers.factories import make_dossier

    users = {
        "anonymous": None,
        "citizen": citizen,
        "other_citizen": other_citizen,
        "officer": officer,
        "officer_other_commune": officer_other_commune,
        "specialist": specialist,
        "leader": leader,
        "leader_other_unit": UserFactory(roles=[Role.LEADER], org_unit=unit_b),
        "district_staff": district_staff,
    }
    dossier = make_dossier(
        status=status,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        specialist=specialist,
        leader=leader,
    )
    url = reverse("dossiers_api:dossier-action", args=[dossier.code])
    events = dossier.events.count()
    problems = []
    for persona, expected in PROCESSING_REFUSED.items():
        if persona == allowed:
            continue
        client = APIClient()
        if users[persona] is not None:
            client.force_authenticate(users[persona])
        response = client.post(url, {"action": action, **body}, format="json")
        if outcome(response) != expected:
            problems.append(f"{action} as {persona}: {outcome(response)}, {expected}")
    assert problems == [], "\n".join(problems)
    assert dossier.events.count() == events

    client = APIClient()
    client.force_authenticate(users[allowed])
    response = client.post(url, {"action": action, **body}, format="json")

    assert response.status_code == 200, response.json()
    assert dossier.events.count() == events + 1
