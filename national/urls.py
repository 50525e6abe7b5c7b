from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("staff/national/failed/", views.sync_failed, name="sync-failed"),
    path(
        "staff/national/entries/<int:pk>/retry/",
        views.sync_retry,
        name="sync-retry",
    ),
    path("dvcqg-sandbox/", views.sandbox, name="sandbox"),
    path("dvcqg-sandbox/push/", views.sandbox_push, name="sandbox-push"),
]
