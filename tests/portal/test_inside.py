"""No page shows the inside of the software to the people it serves (issue 15):
every page a citizen, an officer or district staff reaches by following links
from their start pages, with the reviewed catalogue and dossiers in several
states, and the slips they print, hold no "UNVERIFIED", no file name or path of
the project's reference data, no action code; the notification list holds no
raw address. Sources stay in the admin, which is not crawled."""

import datetime
import io
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from dossiers import services
from procedures.models import Procedure
from tests.accounts.factories import login_with_otp
from tests.chains.conftest import catalogue  # noqa: F401 (a fixture)
from tests.inside import inside_of_the_software, visible_text
from tests.procedures.test_fees import submitted

pytestmark = pytest.mark.django_db

# Not pages a person reads here: the admin keeps the sources; the rest are
# actions, other sites, files people uploaded or machine formats.
SKIP = re.compile(
    r"^/(admin|i18n|idp|paygate|static|media|api/schema|metrics|healthz)\b"
    r"|/logout/|/delete/|/attachments/|export\.(csv|xlsx)|/read"
)
PAGES_PER_PERSON = 110


def _reading(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else None
    if "pdf" in kind:
        reader = PdfReader(io.BytesIO(body if body is not None else response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    if "html" in kind:
        return str(response.content.decode())
    return ""


def crawl(
    client: Client, starts: list[str], limit: int = PAGES_PER_PERSON
) -> dict[str, list[str]]:
    """Follow the links of the person's pages (GET only, breadth first) and
    return what each page shows of the inside."""
    queue = deque(starts)
    seen: set[str] = set()
    found: dict[str, list[str]] = {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        content = _reading(response)
        if response.get("Content-Type", "").startswith("text/html"):
            for href in re.findall(r'href="([^"#]+)"', content):
                if href.startswith(("tel:", "mailto:", "javascript:")):
                    continue
                parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
                if parts.netloc and parts.netloc != "testserver":
                    continue
                # One page of each list: filters and pages are the same template.
                if parts.query and not parts.path.startswith("/dossiers/"):
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
            content = visible_text(content)
        problems = inside_of_the_software(
            content, addresses=url.startswith("/notifications/")
        )
        if problems:
            found[url] = problems
    assert len(seen) > 20, seen
    return found


@pytest.fixture
def dossiers(catalogue, citizen, officer, unit_a):  # noqa: F811
    """Dossiers of the reviewed catalogue in the states people meet: the birth
    group's on-time exemption (an unverified rule), a fee to pay, a supplement
    asked and given, one forwarded."""
    born = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    birth = submitted(
        Procedure.objects.get(code="1.001193"),
        citizen,
        unit_a,
        data={"child": {"date_of_birth": born}},
    )
    residence = submitted(Procedure.objects.get(code="1.004194"), citizen, unit_a)
    asked = submitted(Procedure.objects.get(code="1.000656"), citizen, unit_a)
    for dossier in (birth, residence, asked):
        services.dossier_receive(dossier=dossier, actor=officer)
    services.dossier_request_supplement(
        dossier=asked, actor=officer, items=["Giấy báo tử"], reason="Ảnh mờ"
    )
    services.dossier_supplement(dossier=asked, actor=citizen, note="Đã chụp lại")
    services.dossier_forward(dossier=birth, actor=officer, to_unit=unit_a)
    return [birth, residence, asked]


def test_no_page_shows_the_inside_of_the_software(
    client, citizen, officer, district_staff, dossiers
):
    codes = [d.code for d in dossiers]
    found = {}

    client.force_login(citizen)
    found["citizen"] = crawl(
        client,
        [f"/dossiers/{code}/" for code in codes]
        + ["/notifications/", "/dossiers/mine/", "/accounts/me/", "/", "/help/"]
        + [f"/procedures/{code}/" for code in ("1.001193", "3.000722", "2.002913")]
        + ["/procedures/", "/procedures/search/"],
    )
    staff = Client()
    login_with_otp(staff, officer)
    found["officer"] = crawl(
        staff,
        [f"/staff/dossiers/{code}/" for code in codes]
        + ["/staff/", "/staff/dossiers/", "/notifications/"],
    )
    district = Client()
    login_with_otp(district, district_staff)
    found["district staff"] = crawl(district, ["/staff/", "/stats/"], limit=50)
    anonymous = Client()
    found["anyone"] = crawl(
        anonymous, [f"/track/?code={codes[0]}", "/", "/procedures/"], limit=40
    )

    assert {who: pages for who, pages in found.items() if pages} == {}


def test_the_catalogue_api_names_no_reference_file(catalogue, client):  # noqa: F811
    found = {}
    for procedure in Procedure.objects.all():
        text = client.get(f"/api/v1/procedures/{procedure.url_code}/").content
        problems = [
            problem
            for problem in inside_of_the_software(text.decode())
            if not problem.startswith("action code")  # field names are codes
        ]
        if problems:
            found[procedure.code] = problems
    assert found == {}
