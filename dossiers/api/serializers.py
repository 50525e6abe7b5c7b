"""The dossier API's serializers."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from signing.selectors import is_signed

from .. import hooks
from ..calendar import explain_steps
from ..lifecycle import TRANSITIONS, available_actions
from ..models import Attachment, Dossier, Event
from ..no_appointment import dossier_no_appointment_notice
from ..selectors import dossier_events, dossier_timeliness

# --- Serializers ------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer[Event]):
    actor_unit = serializers.CharField(source="actor_unit.name", default=None)
    # The code stays in `action`; people read this (dossiers.history).
    action_display = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = Event
        fields = [
            "action",
            "action_display",
            "at",
            "from_status",
            "to_status",
            "note",
            "actor_unit",
        ]


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "document_key", "original_name", "content_type", "size", "url"]

    def get_url(self, obj: Attachment) -> str:
        from django.urls import reverse

        code = obj.dossier.code if obj.dossier is not None else ""
        return reverse(
            "dossiers:attachment-download", kwargs={"code": code, "pk": obj.pk}
        )


class DossierSerializer(serializers.ModelSerializer[Dossier]):
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    receiving_unit = serializers.CharField(source="receiving_unit.agency_code")
    processing_unit = serializers.CharField(
        source="processing_unit.agency_code", default=None, allow_null=True
    )
    competent_unit = serializers.CharField(
        source="competent_unit.agency_code",
        default=None,
        allow_null=True,
        help_text=(
            "Cơ quan có thẩm quyền giải quyết (mã định danh), có thể khác nơi "
            "tiếp nhận."
        ),
    )
    anywhere_in_province = serializers.BooleanField(
        help_text=(
            "Tiếp nhận ngoài địa bàn của người nộp theo danh mục thủ tục không "
            "phụ thuộc địa giới hành chính của tỉnh."
        )
    )
    status_display = serializers.CharField(source="get_status_display")
    due_explanation = serializers.SerializerMethodField()
    timeliness = serializers.SerializerMethodField()
    assisted = serializers.BooleanField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "procedure_name",
            "status",
            "status_display",
            "channel",
            "assisted",
            "receiving_unit",
            "processing_unit",
            "competent_unit",
            "anywhere_in_province",
            "submitted_at",
            "received_at",
            "due_at",
            "due_explanation",
            "timeliness",
            "completed_at",
            "returned_at",
            "fee_vnd",
        ]

    def get_due_explanation(self, obj: Dossier) -> str:
        return explain_steps(obj.due_steps)

    def get_timeliness(self, obj: Dossier) -> str | None:
        return dossier_timeliness(obj)


class NoAppointmentDaySerializer(serializers.Serializer[Any]):
    """The receiving centre's "no writing, no appointment" day covering the
    dossier (rules.NoAppointmentDay in force on its day of receipt)."""

    weekday = serializers.IntegerField(help_text="0 = thứ Hai … 6 = Chủ nhật.")
    weekday_display = serializers.CharField()
    cutoff = serializers.CharField(help_text="HH:MM, giờ địa phương.")
    centre = serializers.CharField(help_text="Mã định danh của trung tâm.")
    centre_name = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    applied = serializers.ChoiceField(
        choices=["same_day", "next_working_day"],
        allow_null=True,
        help_text=(
            "Quy tắc đã đặt hạn của hồ sơ: trả trong ngày (nhận trước giờ hạn) "
            "hoặc ngày làm việc tiếp theo (nhận từ giờ hạn); null nếu hồ sơ nhận "
            "vào ngày khác."
        ),
    )
    text = serializers.CharField(help_text="Quy tắc, bằng ngôn ngữ của người đọc.")


class DossierDetailSerializer(DossierSerializer):
    data = serializers.JSONField()  # type: ignore[assignment]
    no_appointment_day = serializers.SerializerMethodField(
        help_text=(
            "Ngày “không viết, không hẹn” của nơi tiếp nhận áp dụng cho hồ sơ; "
            "null nếu không có."
        )
    )
    writing_help = serializers.BooleanField(
        help_text=(
            "Cán bộ viết giúp tờ khai tại quầy vào ngày “không viết, không hẹn” "
            "(không phải nộp hộ)."
        )
    )
    events = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "no_appointment_day",
            "writing_help",
            "data",
            "events",
            "attachments",
            "result",
            "actions",
        ]

    @extend_schema_field(NoAppointmentDaySerializer(allow_null=True))
    def get_no_appointment_day(self, obj: Dossier) -> dict[str, Any] | None:
        notice = dossier_no_appointment_notice(obj)
        if notice is None:
            return None
        return NoAppointmentDaySerializer(notice.as_json()).data

    def get_events(self, obj: Dossier) -> list[dict[str, Any]]:
        return EventSerializer(dossier_events(dossier=obj), many=True).data  # type: ignore[return-value]

    def get_attachments(self, obj: Dossier) -> list[dict[str, Any]]:
        return AttachmentSerializer(obj.attachments.all(), many=True).data  # type: ignore[return-value]

    def get_result(self, obj: Dossier) -> dict[str, Any] | None:
        result = getattr(obj, "result", None)
        if result is None:
            return None
        return {
            "title": result.title,
            # Its line in the issuing agency's register (registers): the
            # register's name, the book, the number; empty when it was numbered
            # elsewhere.
            "register": result.register,
            "book": result.book,
            "number": result.number,
            "issued_at": result.issued_at,
            "verify_url": result.get_absolute_url(),
            "digitized": bool(result.file),
            # Its electronic document carries its agency's PAdES signature.
            "signed": bool(result.file) and is_signed(result),
        }

    def get_actions(self, obj: Dossier) -> list[str]:
        return available_actions(self.context["request"].user, obj)

    def to_representation(self, instance: Dossier) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        # Fields added by the apps above, e.g. `steps` of a linked dossier.
        data.update(
            hooks.api_extras_for(dossier=instance, request=self.context["request"])
        )
        return data


class SubmitSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField(
        help_text="National procedure code, e.g. 1.001193"
    )
    unit = serializers.CharField(help_text="Agency identifier of the receiving unit")
    data = serializers.DictField()  # type: ignore[assignment]


class SubmitResponseSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    due_explanation = serializers.CharField()


class ActionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=[*TRANSITIONS, "assign"])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    items = serializers.ListField(child=serializers.CharField(), required=False)
    to_unit = serializers.CharField(required=False)
    assignee = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    number = serializers.CharField(required=False, allow_blank=True)
    # appraise (and issue_result of a dossier approved under the earlier flow):
    # a draft `file` (multipart) or a result generated from the dossier's data.
    generate = serializers.BooleanField(required=False, default=False)
    # appraise of a procedure that certifies copies: the `file` is the scan of
    # the original, certified once the officer says the original was seen.
    certify_copy = serializers.BooleanField(required=False, default=False)
    original_seen = serializers.BooleanField(required=False, default=False)
    copies = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    # send_back: why the leader sends the draft back to the specialist.
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(
        choices=["counter", "post", "online"], required=False
    )
    new_due_date = serializers.DateField(required=False)
    scores = serializers.DictField(child=serializers.IntegerField(), required=False)
    overall = serializers.CharField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True)
