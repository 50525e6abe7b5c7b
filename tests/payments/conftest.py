import pytest

from dossiers import services as dossier_services
from tests.dossiers.factories import make_dossier
from tests.http import DjangoClientAdapter, session_with
from tests.procedures.factories import ProcedureFactory


@pytest.fixture(autouse=True)
def _sandbox(settings):
    """The sandbox platform on, answering at once, losing nothing (unless a test
    says otherwise), reached over the test client."""
    settings.PAYGATE_ENABLED = True
    settings.PAYGATE_CALLBACK_LOSS_RATE = 0.0
    settings.PAYMENT_GATEWAY_URL = "http://127.0.0.1:8000/paygate/"
    settings.NOTIFY_THROTTLE_MAX = 0


@pytest.fixture
def http(monkeypatch):
    adapter = DjangoClientAdapter()
    monkeypatch.setattr(
        "payments.adapters.sandbox.http_session", lambda: session_with(adapter)
    )
    monkeypatch.setattr("paygate.services.http_session", lambda: session_with(adapter))
    return adapter


@pytest.fixture
def fee_procedure(db):
    """A procedure with a fee: 7 000 đ online, 10 000 đ at the counter."""
    return ProcedureFactory(fee_online_vnd=7000, fee_counter_vnd=10000)


@pytest.fixture
def submitted(citizen, unit_a, fee_procedure):
    return make_dossier(applicant=citizen, unit=unit_a, procedure=fee_procedure)


@pytest.fixture
def awaiting(submitted, officer):
    """Received unpaid: waiting for the citizen's payment."""
    return dossier_services.dossier_receive(dossier=submitted, actor=officer)
