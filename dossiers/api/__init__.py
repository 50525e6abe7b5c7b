"""The dossier API under /api/v1/. Every route reads dossiers through the access
selectors, so a dossier that is not the caller's is a 404.

A package, re-exported here (the URLconf `include("dossiers.api")`):

- serializers.py: what the API reads and writes
- helpers.py: `error_response`, required fields, the actions by name
- views.py: list and submit, detail, actions, attachments (signed in)
- public.py: tracking, result verification, the due-date calculator (open)
"""

from django.urls import path

from .helpers import error_response
from .public import TrackingThrottle, calendar_due, track, verify
from .serializers import (
    ActionSerializer,
    AttachmentSerializer,
    DossierDetailSerializer,
    DossierSerializer,
    EventSerializer,
    SubmitResponseSerializer,
    SubmitSerializer,
)
from .views import (
    dossier_action,
    dossier_attachments,
    dossier_detail,
    dossier_list,
    dossier_stop_request,
    idempotency_key,
    submitted_response,
)

app_name = "dossiers_api"

urlpatterns = [
    path("dossiers/", dossier_list, name="dossier-list"),
    path("dossiers/<str:code>/", dossier_detail, name="dossier-detail"),
    path("dossiers/<str:code>/actions/", dossier_action, name="dossier-action"),
    path(
        "dossiers/<str:code>/attachments/",
        dossier_attachments,
        name="dossier-attachments",
    ),
    path(
        "dossiers/<str:code>/stop-request/",
        dossier_stop_request,
        name="dossier-stop-request",
    ),
    path("track/", track, name="track"),
    path("verify/<str:token>/", verify, name="verify"),
    path("calendar/due/", calendar_due, name="calendar-due"),
]

__all__ = [
    "ActionSerializer",
    "AttachmentSerializer",
    "DossierDetailSerializer",
    "DossierSerializer",
    "EventSerializer",
    "SubmitResponseSerializer",
    "SubmitSerializer",
    "TrackingThrottle",
    "app_name",
    "calendar_due",
    "dossier_action",
    "dossier_attachments",
    "dossier_detail",
    "dossier_list",
    "dossier_stop_request",
    "error_response",
    "idempotency_key",
    "submitted_response",
    "track",
    "urlpatterns",
    "verify",
]
