"""A pytest plugin: no log line of the whole test run holds a personal ID number, a
phone number, an API token or a known password (issue 11 item 4).

A handler on the root logger sees every record that reaches the configured
handlers, formats it with each of them (what production would write: the masking
JSON or text formatter of `portal.logging`) and looks for:
- runs of 12 digits (personal ID numbers) and Vietnamese mobile numbers (0 or
  +84, then 3/5/7/8/9 and 8 digits, with or without spaces or dots), unmasked;
- every API token the run created or presented (recorded where the portal
  hashes them, `accounts.services.documents.api_token_hash`);
- the test and demo passwords.

At the end of the session any finding is listed and the run fails. The self-test
(tests/portal/test_log_leaks.py) shows an unmasked ID would be caught, so the
check cannot pass by seeing nothing. Records written by other processes (the
real Celery worker of the `worker` tests, gunicorn) are not seen here.
"""

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, field
from typing import Any

import pytest

_PERSONAL_ID = re.compile(r"(?<![\d*])\d{12}(?!\d)")
_SEP = r"[ .]?"
_MOBILE = re.compile(
    r"(?<![\d*+])(?:\+84|84|0)" + _SEP + r"[35789](?:" + _SEP + r"\d){8}(?!\d)"
)
_KNOWN_PASSWORDS = ("Mat-khau-thu-2024", "VuBan@2024")


@dataclass
class Finding:
    kind: str
    value: str
    logger: str
    line: str


# Request ids, UUIDs and hashes are hex: their digit runs are not numbers.
_HEX = re.compile(
    r"(?<![0-9A-Za-z])(?=[0-9-]*[a-fA-F])[0-9a-fA-F-]{16,}(?![0-9A-Za-z])"
)


def find_leaks(text: str, secrets: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(kind, value) for each personal ID, phone number or secret in the text."""
    numbers = _HEX.sub("<hex>", text)
    found = [("personal ID", m.group(0)) for m in _PERSONAL_ID.finditer(numbers)]
    found += [("phone", m.group(0)) for m in _MOBILE.finditer(numbers)]
    found += [("secret", value) for value in secrets if value and value in text]
    return found


@dataclass
class LeakCollector(logging.Handler):
    """Formats each record as the given handlers would and keeps what leaks."""

    handlers: Callable[[], list[logging.Handler]]
    secrets: set[str] = field(default_factory=lambda: set(_KNOWN_PASSWORDS))
    findings: list[Finding] = field(default_factory=list)
    records: int = 0

    def __post_init__(self) -> None:
        logging.Handler.__init__(self, logging.NOTSET)

    def __hash__(self) -> int:
        return id(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.records += 1
        outputs = []
        for handler in self.handlers() or [_plain]:
            try:
                outputs.append(handler.format(record))
            except Exception:  # noqa: S112 - a broken format is not a leak
                continue
        for line in outputs:
            for kind, value in find_leaks(line, self.secrets):
                self.findings.append(Finding(kind, value, record.name, line[:300]))


_plain = logging.StreamHandler()
_plain.setFormatter(logging.Formatter("%(name)s %(message)s"))


def _configured_handlers() -> list[logging.Handler]:
    """The root logger's own handlers: not pytest's capture, not the collector."""
    return [
        handler
        for handler in logging.root.handlers
        if not isinstance(handler, LeakCollector)
        and not type(handler).__module__.startswith("_pytest")
    ]


COLLECTOR = LeakCollector(handlers=_configured_handlers)


@pytest.fixture(scope="session", autouse=True)
def _log_leak_collector(django_test_environment: None) -> Iterator[LeakCollector]:
    """Attach the collector for the whole run and learn every API token."""
    # The module whose api_token_create looks the hash up at call time.
    from accounts.services import documents as services

    hash_token = services.api_token_hash

    def recording_hash(key: str) -> str:
        COLLECTOR.secrets.add(key)
        return hash_token(key)

    services.api_token_hash = recording_hash
    logging.root.addHandler(COLLECTOR)
    try:
        yield COLLECTOR
    finally:
        logging.root.removeHandler(COLLECTOR)
        services.api_token_hash = hash_token


@pytest.fixture(autouse=True)
def _log_leak_collector_attached(_log_leak_collector: LeakCollector) -> None:
    """Attach the collector again when something reconfigured logging (a worker
    started in the test process, `dictConfig`): no test goes unread."""
    if COLLECTOR not in logging.root.handlers:
        logging.root.addHandler(COLLECTOR)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        # A pytest-xdist process (`make test`): what it read goes to the main
        # process, which reports it and fails the run as for its own.
        workeroutput["log_leaks"] = {
            "records": COLLECTOR.records,
            "secrets": sorted(COLLECTOR.secrets),
            "findings": [astuple(finding) for finding in COLLECTOR.findings],
        }
    if COLLECTOR.findings and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """pytest-xdist: a process finished; add what its collector read."""
    output = getattr(node, "workeroutput", {}).get("log_leaks")
    if output is None:
        return
    COLLECTOR.records += output["records"]
    COLLECTOR.secrets.update(output["secrets"])
    COLLECTOR.findings.extend(Finding(*finding) for finding in output["findings"])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COLLECTOR.findings:
        terminalreporter.write_line(
            f"log check: {COLLECTOR.records} log records, no personal ID, phone "
            f"number or secret ({len(COLLECTOR.secrets)} secrets known)"
        )
        return
    terminalreporter.section("personal data or secrets in the logs", red=True)
    for finding in COLLECTOR.findings[:50]:
        terminalreporter.write_line(
            f"{finding.kind} {finding.value!r} in a record of {finding.logger}: "
            f"{finding.line}"
        )
    terminalreporter.write_line(
        f"{len(COLLECTOR.findings)} finding(s) in {COLLECTOR.records} log records; "
        "mask them (portal/logging.py) or do not log them."
    )
