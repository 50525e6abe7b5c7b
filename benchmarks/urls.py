"""The bare baselines, mounted at /bench/ only when BENCH_ENABLED is set."""

from django.urls import path

from . import views

app_name = "bench"

urlpatterns = [
    path("select/", views.select_by_code, name="select"),
    path("insert/", views.insert_one, name="insert"),
    path("queue/", views.queue_raw, name="queue"),
    path("naive-summary/", views.naive_summary, name="naive-summary"),
]
