from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path(
        "payments/dossiers/<str:code>/pay/",
        views.payment_start,
        name="payment-start",
    ),
    path(
        "payments/dossiers/<str:code>/receipt.pdf",
        views.payment_receipt,
        name="payment-receipt",
    ),
    path("payments/return/", views.payment_return, name="payment-return"),
    path("payments/<int:pk>/", views.payment_detail, name="payment-detail"),
    path("payments/<int:pk>/check/", views.payment_check, name="payment-check"),
    # Officer pages.
    path(
        "staff/payments/dossiers/<str:code>/cash/",
        views.payment_cash,
        name="payment-cash",
    ),
]
