from django.urls import path

from . import views

app_name = "idp"

urlpatterns = [
    path("login/", views.identity_login, name="login"),
]
