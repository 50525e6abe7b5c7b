from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("staff/registers/", views.register_search, name="register-search"),
]
