"""Development and demo pages: the test SMS inbox."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..adapters.sms import mask_phone
from ..identifiers import normalize_phone
from ..models import OutboundSms, User

OUTBOX_SIZE = 30


@login_required
@never_cache
@require_GET
def sms_outbox(request: HttpRequest) -> HttpResponse:
    """ "Hộp thư SMS thử nghiệm": the latest messages the development gateway
    kept, so a demo can read the code a citizen's phone would show. Only in DEBUG
    or demo mode; phone numbers are masked; a citizen sees their own phone's."""
    if not (settings.DEBUG or settings.DEMO_MODE):
        raise Http404
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    sent = OutboundSms.objects.all()
    if not (user.is_officer or user.is_staff):
        # A citizen reads what their own phone would show, never another's codes;
        # officers at a demo counter read the codes sent to the citizen before them.
        phone = normalize_phone(user.phone)
        sent = sent.filter(phone=phone) if phone else sent.none()
    messages = [
        {"at": m.created_at, "phone": mask_phone(m.phone), "text": m.text}
        for m in sent[:OUTBOX_SIZE]
    ]
    return render(request, "accounts/sms_outbox.html", {"sms_messages": messages})
