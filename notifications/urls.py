from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("read-all/", views.notification_read_all, name="notification-read-all"),
    path("preferences/", views.preference_edit, name="preference-edit"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
]
