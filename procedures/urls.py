from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.procedure_index, name="procedure-index"),
    path("search/", views.procedure_list, name="procedure-list"),
    path("guides/", views.guide_list, name="guide-list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide-detail"),
    path("units/<str:agency_code>/", views.unit_detail, name="unit-detail"),
    path("announcements/", views.announcement_list, name="announcement-list"),
    path(
        "announcements/<int:pk>/",
        views.announcement_detail,
        name="announcement-detail",
    ),
    path("<str:code>/form/", views.procedure_form, name="procedure-form"),
    path("<str:code>/", views.procedure_detail, name="procedure-detail"),
]
