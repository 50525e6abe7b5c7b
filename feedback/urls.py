from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback_public_list, name="feedback-public"),
    path("send/", views.feedback_create, name="feedback-create"),
    path("sent/", views.feedback_sent, name="feedback-sent"),
    path("mine/", views.feedback_mine, name="feedback-mine"),
    path("staff/", views.feedback_queue, name="feedback-queue"),
    path("staff/<int:pk>/", views.feedback_work, name="feedback-work"),
    path(
        "staff/<int:pk>/papers/<int:attachment_id>/",
        views.feedback_paper,
        name="feedback-paper",
    ),
]
