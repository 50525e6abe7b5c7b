import json
import logging
import re
from pathlib import Path

import pytest
from django.urls import reverse

from portal.logging import JsonFormatter, log_context, mask_identifiers
from portal.metrics import register_gauge
from tests.dossiers.factories import make_dossier

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_page_gets_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("portal:home"))

    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script_src.strip() == "'self'"
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_holds_an_inline_script_or_event_handler():
    offenders = []
    for template in BASE_DIR.rglob("*.html"):
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"\son[a-z]+\s*=\s*[\"']", text
        ):
            offenders.append(str(template.relative_to(BASE_DIR)))

    assert offenders == []


@pytest.mark.django_db
def test_api_docs_page_loads_its_start_up_script_from_a_file(client):
    page = client.get(reverse("api-docs")).text

    assert re.search(r"<script src=\"[^\"]*\?[^\"]*script=", page)
    assert not re.search(r"<script>\s*\S", page)


@pytest.mark.django_db
def test_each_response_carries_a_request_id(client):
    first = client.get(reverse("portal:home"))["X-Request-ID"]
    kept = client.get(reverse("portal:home"), HTTP_X_REQUEST_ID="proxy-id-12345")

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert kept["X-Request-ID"] == "proxy-id-12345"
    bad = client.get(reverse("portal:home"), HTTP_X_REQUEST_ID="<script>")
    assert bad["X-Request-ID"] != "<script>"


def test_json_log_lines_carry_request_id_and_dossier_and_are_masked():
    with log_context(request_id="abc123def456", dossier="000.11.59.H00-260309-0001"):
        record = logging.getLogRecordFactory()(
            "dossiers",
            logging.INFO,
            __file__,
            1,
            "viewed by %s",
            ("036085012345",),
            None,
        )

    entry = json.loads(JsonFormatter().format(record))

    assert entry["request_id"] == "abc123def456"
    assert entry["dossier"] == "000.11.59.H00-260309-0001"
    assert entry["message"] == "viewed by *********345"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("Authorization: Token 0123456789abcdef0123", "0123456789abcdef0123"),
        ("login password=hunter2 failed", "hunter2"),
        ("sessionid=abcdef123; path=/", "abcdef123"),
        ("otp: 482913", "482913"),
    ],
)
def test_secrets_are_hidden_in_logs(text, hidden):
    assert hidden not in mask_identifiers(text)


@pytest.mark.django_db
def test_a_dossier_request_logs_the_dossier_code(client, citizen, unit_a, caplog):
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    client.force_login(citizen)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("dossiers:slip-pdf", args=[dossier.code, "refusal"]))

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.dossier == dossier.code
    assert re.fullmatch(r"[0-9a-f]{32}", record.request_id)


@pytest.mark.django_db
def test_metrics_only_for_the_monitoring_server(client, settings, citizen, unit_a):
    make_dossier(applicant=citizen, unit=unit_a)
    settings.METRICS_TOKEN = "s3cret-metrics-token"

    assert client.get(reverse("metrics")).status_code == 404
    response = client.get(
        reverse("metrics"), HTTP_AUTHORIZATION="Bearer s3cret-metrics-token"
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert 'portal_dossiers{status="submitted"} 1.0' in text
    assert "portal_dossiers_overdue 0.0" in text
    assert "portal_http_requests_total" in text


@pytest.mark.django_db
def test_health_shows_the_counts_operators_watch(client, settings):
    settings.REDIS_URL = ""
    register_gauge("portal_test_failed_handoffs", "test gauge", lambda: 2)

    body = client.get(reverse("healthz")).json()

    assert body["counts"]["overdue_dossiers"] == 0
    assert body["counts"]["portal_test_failed_handoffs"] == 2
