from django.contrib import admin

from .models import CallbackAttempt, SandboxOrder


class CallbackInline(admin.TabularInline[CallbackAttempt, SandboxOrder]):
    model = CallbackAttempt
    extra = 0
    readonly_fields = [
        "attempt",
        "delay_seconds",
        "lost",
        "sent_at",
        "response_status",
        "error",
    ]


@admin.register(SandboxOrder)
class SandboxOrderAdmin(admin.ModelAdmin[SandboxOrder]):
    list_display = ["created_at", "order_id", "amount", "status", "transaction_id"]
    list_filter = ["status"]
    search_fields = ["order_id", "transaction_id"]
    inlines = [CallbackInline]
