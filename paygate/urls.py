from django.urls import path

from . import views

app_name = "paygate"

urlpatterns = [
    path("pay/", views.pay, name="pay"),
    path("orders/<str:token>/", views.complete, name="order-complete"),
    path("api/query/", views.query, name="query"),
]
