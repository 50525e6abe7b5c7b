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
