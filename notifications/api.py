"""`GET /api/v1/notifications/`: the caller's own notifications, newest first."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from .models import Notification
from .selectors import notifications_for

app_name = "notifications-api"


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        # `body` is text without addresses; `url` is where `link_label` leads.
        fields = [
            "id",
            "event_key",
            "title",
            "body",
            "url",
            "link_label",
            "created_at",
            "read_at",
        ]


@extend_schema(
    parameters=[OpenApiParameter("unread", bool, description="Only unread ones")],
    # Paginated (PageNumberPagination): say so, or clients expect a bare list.
    responses=inline_serializer(
        "PaginatedNotificationList",
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": NotificationSerializer(many=True),
        },
    ),
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def notification_list(request: Request) -> Response:
    notifications = notifications_for(user=request.user)
    if request.query_params.get("unread") in {"1", "true"}:
        notifications = notifications.filter(read_at__isnull=True)
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(notifications, request)
    return paginator.get_paginated_response(
        NotificationSerializer(page, many=True).data
    )


urlpatterns = [
    path("notifications/", notification_list, name="notification-list"),
]
