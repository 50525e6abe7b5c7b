from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    # --- Citizen: submission wizard, my dossiers, actions (views/wizard.py,
    # views/citizen.py). Before "dossiers/<code>/", which would match "mine".
    path("dossiers/mine/", views.dossier_mine, name="dossier-mine"),
    path("dossiers/new/<str:code>/", views.dossier_create, name="dossier-create"),
    path("dossiers/drafts/<int:pk>/", views.draft_resume, name="draft-resume"),
    path("dossiers/drafts/<int:pk>/unit/", views.draft_unit, name="draft-unit"),
    path(
        "dossiers/drafts/<int:pk>/form/<slug:section>/",
        views.draft_section,
        name="draft-section",
    ),
    path(
        "dossiers/drafts/<int:pk>/documents/",
        views.draft_documents,
        name="draft-documents",
    ),
    path("dossiers/drafts/<int:pk>/review/", views.draft_review, name="draft-review"),
    path("dossiers/drafts/<int:pk>/delete/", views.draft_delete, name="draft-delete"),
    path(
        "dossiers/<str:code>/submitted/",
        views.dossier_submitted,
        name="dossier-submitted",
    ),
    path(
        "dossiers/<str:code>/supplement/",
        views.dossier_supplement,
        name="dossier-supplement",
    ),
    path(
        "dossiers/<str:code>/withdraw/", views.dossier_withdraw, name="dossier-withdraw"
    ),
    path(
        "dossiers/<str:code>/stop/",
        views.dossier_stop_request,
        name="dossier-stop-request",
    ),
    path("dossiers/<str:code>/rate/", views.dossier_rate, name="dossier-rate"),
    path(
        "dossiers/<str:code>/result/file/",
        views.result_download,
        name="result-download",
    ),
    # --- Shared and public pages.
    path("dossiers/<str:code>/", views.dossier_detail, name="dossier-detail"),
    path(
        "dossiers/<str:code>/files/<int:pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("dossiers/<str:code>/slips/<slug:kind>.pdf", views.slip_pdf, name="slip-pdf"),
    path("track/", views.track, name="dossier-track"),
    path("verify/<str:token>/", views.result_verify, name="result-verify"),
]

# --- Officer pages (views/officer/, views/counter.py) ----------------------------
urlpatterns += [
    path("staff/dossiers/", views.dossier_queue, name="queue"),
    path(
        "staff/dossiers/receive/",
        views.dossier_bulk_receive,
        name="queue-receive",
    ),
    path("staff/dossiers/sign/", views.dossier_bulk_sign, name="queue-sign"),
    path("staff/dossiers/<str:code>/", views.dossier_work, name="dossier-work"),
    path(
        "staff/dossiers/<str:code>/assign/",
        views.dossier_assign,
        name="dossier-assign",
    ),
    path(
        "staff/dossiers/<str:code>/stop/",
        views.dossier_stop_at_counter,
        name="dossier-stop-at-counter",
    ),
    path(
        "staff/dossiers/<str:code>/draft/",
        views.result_draft_download,
        name="result-draft-download",
    ),
    path(
        "staff/dossiers/<str:code>/actions/<slug:action>/",
        views.dossier_act,
        name="dossier-act",
    ),
    path("staff/calendar/due/", views.calendar_due, name="calendar-due"),
    path(
        "staff/tracking-book/",
        views.tracking_book_export,
        name="tracking-book",
    ),
    path("staff/counter/", views.counter_start, name="counter-start"),
    path(
        "staff/counter/new-citizen/",
        views.counter_citizen_create,
        name="counter-citizen-create",
    ),
    path("staff/counter/confirm/", views.counter_confirm, name="counter-confirm"),
    path(
        "staff/counter/procedure/",
        views.counter_procedure,
        name="counter-procedure",
    ),
    path("staff/counter/reset/", views.counter_reset, name="counter-reset"),
    path("staff/counter/file/<slug:key>/", views.counter_form, name="counter-form"),
]
