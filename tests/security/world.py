"""One small world of real objects for the authorization matrix and the API
fuzzing: the nine personas and, for the citizen of unit A, every kind of object a
URL can name (dossiers in several states with files, a result, a payment and its
sandbox order, a linked dossier with its chain, a draft, a stored document, a
household member, a notification), built through the services.

`PRIVATE` lists what only the citizen (and the staff who handle their dossiers)
may ever read: a refused response must contain none of it.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import DocumentType, Relation
from accounts.services import (
    api_token_create,
    household_member_add,
    profile_update,
    stored_document_add,
)
from chains.models import ChainRun, Handoff
from dossiers import services as dossier_services
from dossiers.models import Status
from feedback.services import feedback_submit
from national.models import OutboxEntry
from notifications.models import Notification
from paygate.models import SandboxOrder
from paygate.services import order_complete
from payments import services as payment_services
from rules.services import rules_load
from tests.accounts.factories import TOTPDeviceFactory
from tests.chains.conftest import BIRTH, birth_data, make_agencies, submit
from tests.dossiers.factories import make_dossier, pdf_upload
from tests.procedures.factories import (
    AnnouncementFactory,
    DocumentFactory,
    GuideFactory,
    GuideStepFactory,
    ProcedureFactory,
)

PERSONAS = (
    "anonymous",
    "citizen",
    "other_citizen",
    "officer",
    "officer_other_commune",
    "specialist",
    "leader",
    "district_staff",
    "admin_user",
)

# Form data only the applicant and the staff handling the dossier may read.
SECRET_ADDRESS = "Số 17 ngõ Kín Đáo, xóm Riêng Tư"
SECRET_MEMBER = "Nguyễn Thị Con Giấu Tên"
SECRET_DOCUMENT = "Giấy khai sinh bản riêng 4417"

MATRIX_SCHEMA: dict[str, Any] = {
    "version": 1,
    "sections": [
        {
            "key": "nguoi-nop",
            "title": {"vi": "Người nộp", "en": "Applicant"},
            "fields": [
                {
                    "name": "full_name",
                    "type": "text",
                    "required": True,
                    "label": {"vi": "Họ và tên", "en": "Full name"},
                },
                {
                    "name": "address",
                    "type": "text",
                    "label": {"vi": "Nơi cư trú", "en": "Address"},
                },
                {
                    "name": "phone",
                    "type": "phone",
                    "label": {"vi": "Điện thoại", "en": "Phone"},
                },
            ],
        }
    ],
}


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any]
    private: list[str] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        """A client logged in as `persona`; staff sessions passed the TOTP step."""
        # From outside the server: localhost may read /metrics.
        client = Client(REMOTE_ADDR="192.0.2.44")
        user = self.users[persona]
        if user is None:
            return client
        client.force_login(user)
        if user.requires_otp:
            device = TOTPDeviceFactory(user=user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client


class _Gateway:
    """The sandbox platform reached through the test client (tests/http.py)."""

    def __init__(self, monkeypatch: Any) -> None:
        from tests.http import DjangoClientAdapter, session_with

        adapter = DjangoClientAdapter()
        monkeypatch.setattr(
            "payments.adapters.sandbox.http_session", lambda: session_with(adapter)
        )
        monkeypatch.setattr(
            "paygate.services.http_session", lambda: session_with(adapter)
        )


def build_world(
    *,
    users: dict[str, Any],
    tree: dict[str, Any],
    unit_a: Any,
    monkeypatch: Any,
    capture: Any,
) -> World:
    citizen = users["citizen"]
    officer, specialist, leader = users["officer"], users["specialist"], users["leader"]
    _Gateway(monkeypatch)
    # The seeded rule sets (issue 17): /api/v1/rules/ answers, and the world's
    # dossiers get codes, slips and explanations of a rule set.
    rules_load()

    procedure = ProcedureFactory(
        form_schema=MATRIX_SCHEMA, fee_online_vnd=7000, fee_counter_vnd=10000
    )
    DocumentFactory(procedure=procedure, key="giay-to")
    free = ProcedureFactory(form_schema=MATRIX_SCHEMA)
    data = {
        "full_name": citizen.full_name,
        "address": SECRET_ADDRESS,
        "phone": citizen.phone,
    }

    with capture(execute=True):
        # Submitted, with a fee, a file, an online payment and its sandbox order.
        dossier = make_dossier(
            applicant=citizen, unit=unit_a, procedure=procedure, data=data
        )
        attachment = dossier_services.attachment_add_to_dossier(
            dossier=dossier,
            uploaded_by=citizen,
            upload=pdf_upload("giay-to-rieng.pdf"),
            document_key="",
        )
        payment = payment_services.payment_start(
            dossier=dossier,
            user=citizen,
            return_url="http://testserver/payments/return/",
            callback_url="http://testserver/api/v1/payments/callback/",
        )
        returned = make_dossier(
            status=Status.RETURNED,
            applicant=citizen,
            unit=unit_a,
            officer=officer,
            specialist=specialist,
            leader=leader,
            procedure=free,
            data=data,
        )
        supplement = make_dossier(
            status=Status.SUPPLEMENT_REQUESTED,
            applicant=citizen,
            unit=unit_a,
            officer=officer,
            procedure=free,
            data=data,
        )
        agencies = make_agencies(tree, unit_a)
        linked = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    # The citizen opens the gateway's page: the sandbox platform takes the order.
    parts = urlsplit(payment.redirect_url)
    assert Client().get(f"{parts.path}?{parts.query}").status_code == 200
    order = SandboxOrder.objects.get(order_id=payment.order_id)
    with capture(execute=True):
        # ... and pays; the platform calls the portal back: a receipt.
        order_complete(order=order, action="pay")
    payment.refresh_from_db()
    assert payment.status == "paid", payment.status
    # The citizen lives in commune A: its officers may open the profile.
    profile_update(
        user=citizen,
        permanent_address=SECRET_ADDRESS,
        current_address=SECRET_ADDRESS,
        commune=tree["commune_a"],
        phone=citizen.phone,
        email="",
    )
    run = ChainRun.objects.get(dossier=linked)
    draft = dossier_services.draft_create(
        owner=citizen, procedure=procedure, receiving_unit=unit_a, data=data
    )
    member = household_member_add(
        owner=citizen,
        full_name=SECRET_MEMBER,
        relation=Relation.CHILD,
        date_of_birth=datetime.date(2015, 6, 1),
    )
    document = stored_document_add(
        owner=citizen,
        doc_type=DocumentType.BIRTH_CERTIFICATE,
        title=SECRET_DOCUMENT,
        file=pdf_upload("khai-sinh.pdf"),
    )
    feedback = feedback_submit(
        sender=citizen,
        kind="procedure",
        title="Phản ánh về hướng dẫn",
        content=f"Tôi là {citizen.full_name}, ở {SECRET_ADDRESS}: mẫu tờ khai thiếu.",
        publish_consent=True,
        procedure_code=procedure.code,
        unit_code=unit_a.agency_code,
        files=[pdf_upload("phan-anh.pdf")],
    )
    notification = Notification.objects.filter(recipient=citizen).first()
    assert notification is not None, "the submissions notify the citizen"
    guide = GuideFactory()
    GuideStepFactory(guide=guide)

    objects = {
        "procedure": procedure,
        "dossier": dossier,
        "attachment": attachment,
        "payment": payment,
        "order": order,
        "returned": returned,
        "result": returned.result,
        "supplement": supplement,
        "linked": linked,
        "step": run.steps.order_by("order").first(),
        "sync_entry": OutboxEntry.objects.filter(dossier=dossier).first(),
        # Every step of a group with a Decree 63/2024 art. 7 rule has one.
        "handoff": Handoff.objects.filter(step__run=run).order_by("pk").first(),
        "draft": draft,
        "member": member,
        "document": document,
        "notification": notification,
        "guide": guide,
        "announcement": AnnouncementFactory(org_unit=unit_a),
        "unit_a": unit_a,
        "feedback": feedback,
        "paper": feedback.attachments.get(),
        "uidb64": urlsafe_base64_encode(force_bytes(citizen.pk)),
        "reset_token": default_token_generator.make_token(citizen),
    }
    mother = birth_data(citizen)["mother"]
    private = [
        citizen.full_name,
        citizen.username,  # the personal ID number
        citizen.phone,
        SECRET_ADDRESS,
        SECRET_MEMBER,
        SECRET_DOCUMENT,
        mother["full_name"],
        mother["personal_id"],
    ]
    tokens = {
        persona: api_token_create(user=user)
        for persona, user in users.items()
        if user is not None
    }
    return World(users=users, objects=objects, private=private, tokens=tokens)
