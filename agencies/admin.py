from django.contrib import admin

from .models import (
    AgencyFault,
    BenefitDecision,
    CivilStatusEntry,
    HandoffAcknowledgement,
    InsuranceCard,
    IssuedPersonalId,
    RecordedDeath,
    RegistryRecord,
    ResidenceEntry,
)


@admin.register(RegistryRecord)
class RegistryRecordAdmin(admin.ModelAdmin[RegistryRecord]):
    list_display = ["personal_id", "full_name", "date_of_birth", "household_code"]
    search_fields = ["personal_id", "full_name"]
    list_filter = ["household_code"]


class RemoteWriteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The development systems' own records: read-only, as another agency's data."""

    readonly_fields = ["idempotency_key", "request", "repeats", "created_at"]
    search_fields = ["idempotency_key"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(IssuedPersonalId)
class IssuedPersonalIdAdmin(RemoteWriteAdmin):
    list_display = ["personal_id", "idempotency_key", "repeats", "created_at"]


@admin.register(RecordedDeath)
class RecordedDeathAdmin(RemoteWriteAdmin):
    list_display = ["personal_id", "date_of_death", "repeats", "created_at"]


@admin.register(CivilStatusEntry)
class CivilStatusEntryAdmin(RemoteWriteAdmin):
    list_display = ["kind", "number", "book", "office", "full_name", "repeats"]
    list_filter = ["kind"]


@admin.register(ResidenceEntry)
class ResidenceEntryAdmin(RemoteWriteAdmin):
    list_display = ["kind", "number", "personal_id", "full_name", "repeats"]
    list_filter = ["kind"]


@admin.register(InsuranceCard)
class InsuranceCardAdmin(RemoteWriteAdmin):
    list_display = ["card_code", "personal_id", "full_name", "repeats"]


@admin.register(BenefitDecision)
class BenefitDecisionAdmin(RemoteWriteAdmin):
    list_display = ["number", "system", "kind", "deceased_name", "repeats"]
    list_filter = ["system", "kind"]


@admin.register(AgencyFault)
class AgencyFaultAdmin(admin.ModelAdmin[AgencyFault]):
    """Scripted failures of the development systems (for demos and tests)."""

    list_display = [
        "system",
        "operation",
        "mode",
        "remaining",
        "delay_minutes",
        "triggered",
    ]
    readonly_fields = ["triggered", "created_at"]


@admin.register(HandoffAcknowledgement)
class HandoffAcknowledgementAdmin(admin.ModelAdmin[HandoffAcknowledgement]):
    """When a development system acknowledged what it received: read-only."""

    list_display = ["system", "idempotency_key", "received_at", "acknowledged_at"]
    list_filter = ["system"]
    search_fields = ["idempotency_key"]
    readonly_fields = [f.name for f in HandoffAcknowledgement._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
