from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path(
        "dossiers/<str:code>/linked/resubmit/",
        views.chain_resubmit,
        name="chain-resubmit",
    ),
    path("staff/chains/failed/", views.step_failed, name="step-failed"),
    path("staff/chains/steps/<int:pk>/retry/", views.step_retry, name="step-retry"),
    path(
        "staff/chains/handoffs/<int:pk>/retry/",
        views.handoff_retry,
        name="handoff-retry",
    ),
]
