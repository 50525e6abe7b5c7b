from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.stats_dashboard, name="stats-dashboard"),
    path("dossiers/", views.stats_dossier_list, name="stats-dossier-list"),
    path("service-index/", views.service_index_view, name="service-index"),
    path("methods/", views.stats_methods, name="stats-methods"),
    path("export.csv", views.stats_export, {"fmt": "csv"}, name="stats-export-csv"),
    path("export.xlsx", views.stats_export, {"fmt": "xlsx"}, name="stats-export-xlsx"),
]
