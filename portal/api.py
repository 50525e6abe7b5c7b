"""API of the site-wide app under /api/v1/: the citizen's data export."""

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.ratelimit import rate_limit_hit

from .views import data_export_response


class ZipRenderer(BaseRenderer):
    """Lets clients ask for `application/zip`; errors are still JSON bodies."""

    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data).encode()


@extend_schema(
    responses={
        (200, "application/zip"): OpenApiResponse(
            OpenApiTypes.BINARY,
            description=(
                "data.json (account, profile, household, documents, dossiers with "
                "form data, events, files, result, payments, rating; drafts, "
                "notifications, access log) and the files."
            ),
        ),
        403: OpenApiResponse(description="Not a citizen account."),
        429: OpenApiResponse(description="Too many exports; see Retry-After."),
    },
    description="Everything the portal holds about the logged-in citizen, as a ZIP.",
)
@api_view(["GET"])
@renderer_classes([JSONRenderer, ZipRenderer])
def data_export(request: Request) -> HttpResponseBase:
    user = request.user
    if not isinstance(user, User) or not user.is_citizen:
        raise PermissionDenied(_("Chỉ tài khoản công dân tải được dữ liệu của mình."))
    wait = rate_limit_hit(
        scope="data-export", key=str(user.pk), limit=settings.DATA_EXPORT_RATE_LIMIT
    )
    if wait is not None:
        return Response(
            {
                "detail": _(
                    "Đã tải quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây."
                )
                % {"seconds": wait}
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(wait)},
        )
    return data_export_response(user)
