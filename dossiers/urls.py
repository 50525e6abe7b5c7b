from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
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
