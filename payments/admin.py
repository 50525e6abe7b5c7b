"""Fees, payment attempts and gateway messages in the admin, read-only: they are
records of money and are never changed or deleted by hand. The provinces' fee
tables are edited here (dated rows: a new amount is a new row)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DossierFee, Payment, PaymentCallback, ProvinceFee


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CallbackInline(admin.TabularInline[PaymentCallback, Payment]):
    model = PaymentCallback
    extra = 0
    can_delete = False
    fields = ["received_at", "kind", "outcome", "reason", "status_reported"]
    readonly_fields = ["received_at", "kind", "outcome", "reason", "status_reported"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "order_id",
        "method",
        "amount_vnd",
        "status",
        "paid_at",
        "receipt_number",
    ]
    list_filter = ["status", "method", "gateway"]
    search_fields = ["order_id", "dossier__code", "gateway_transaction_id"]
    date_hierarchy = "created_at"
    inlines = [CallbackInline]


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "kind", "order_id", "outcome", "reason"]
    list_filter = ["kind", "outcome", "reason"]
    search_fields = ["order_id"]
    date_hierarchy = "received_at"


@admin.register(DossierFee)
class DossierFeeAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "channel", "base_vnd", "amount_vnd", "exemption_key"]
    list_filter = ["exemption_key", "channel"]
    search_fields = ["dossier__code"]


@admin.register(ProvinceFee)
class ProvinceFeeAdmin(admin.ModelAdmin[ProvinceFee]):
    list_display = [
        "procedure",
        "province",
        "valid_from",
        "valid_to",
        "amount_vnd",
        "online_amount_vnd",
        "verified",
    ]
    list_filter = ["verified", "province"]
    search_fields = ["procedure__code", "procedure__name", "source"]
    autocomplete_fields = ["procedure"]
    raw_id_fields = ["province"]
