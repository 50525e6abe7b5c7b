"""What the dossier API's views share: a refused service call as an answer,
required fields, and the officer's and citizen's actions by name.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from procedures.models import Procedure
from procedures.selectors import procedure_by_code
from units.models import OrgUnit

from .. import services
from ..models import Dossier, Origin

# --- Helpers ----------------------------------------------------------------------


def error_response(exc: services.DossierError) -> Response:
    """A refused service call as the API answers it."""
    code: int
    if isinstance(exc, services.IllegalTransition):
        code = status.HTTP_409_CONFLICT
    elif isinstance(exc, services.ActionNotAllowed):
        code = status.HTTP_403_FORBIDDEN
    elif isinstance(exc, services.IdempotencyKeyReused):
        code = status.HTTP_422_UNPROCESSABLE_ENTITY
    else:
        code = status.HTTP_400_BAD_REQUEST
    body: dict[str, Any] = {"detail": exc.message}
    if isinstance(exc, services.InvalidDossierData):
        body["errors"] = exc.errors
    if isinstance(exc, services.UnitNotReceiving):
        body["errors"] = {"unit": [exc.message]}
    if isinstance(exc, services.StorageFull):
        # The server's passing trouble: come back later (portal/unavailable.py).
        return Response(
            body,
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(settings.UNAVAILABLE_RETRY_AFTER_SECONDS)},
        )
    return Response(body, status=code)


def _require(data: dict[str, Any], *names: str) -> None:
    missing = {
        name: [_("Trường này là bắt buộc.")] for name in names if not data.get(name)
    }
    if missing:
        raise ValidationError(missing)


def procedure_of_code(code: str) -> Procedure:
    procedure = procedure_by_code(code=code)
    if procedure is None:
        raise ValidationError({"procedure": [_("Không có thủ tục mang mã này.")]})
    return procedure


def _colleague(username: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"assignee": [_("Không tìm thấy cán bộ này.")]})
    return user


def action_do(request: Request, dossier: Dossier, data: dict[str, Any]) -> Dossier:
    user = request.user
    if not isinstance(user, User):  # the views ask IsAuthenticated first
        raise NotAuthenticated()
    action = data["action"]
    note = data.get("note", "")
    if action == "receive":
        return services.dossier_receive(dossier=dossier, actor=user, note=note)
    if action == "request_supplement":
        return services.dossier_request_supplement(
            dossier=dossier, actor=user, items=data.get("items") or [], reason=note
        )
    if action == "supplement":
        return services.dossier_supplement(dossier=dossier, actor=user, note=note)
    if action == "forward":
        _require(data, "to_unit")
        unit = OrgUnit.objects.filter(
            agency_code=data["to_unit"], is_active=True
        ).first()
        if unit is None:
            raise ValidationError({"to_unit": [_("Không tìm thấy đơn vị này.")]})
        assignee = _colleague(data["assignee"]) if data.get("assignee") else None
        return services.dossier_forward(
            dossier=dossier, actor=user, to_unit=unit, assignee=assignee, note=note
        )
    if action == "appraise" and data.get("certify_copy"):
        # A certified copy: the scan of the original (multipart `file`) and
        # `"original_seen": true` from the officer who compared them.
        return services.dossier_certify_copy(
            dossier=dossier,
            actor=user,
            scan=request.FILES.get("file"),
            original_seen=data.get("original_seen", False),
            copies=data.get("copies"),
            title=data.get("title", ""),
            note=note,
        )
    if action == "appraise":
        # A draft file (multipart `file`) or `"generate": true`; the title is
        # the procedure's result unless given.
        return services.dossier_appraise(
            dossier=dossier,
            actor=user,
            title=data.get("title") or services.result_title_suggested(dossier),
            file=request.FILES.get("file"),
            generate=data.get("generate", False),
            note=note,
        )
    if action == "submit_for_signature":
        return services.dossier_submit_for_signature(
            dossier=dossier, actor=user, note=note
        )
    if action == "sign":
        return services.dossier_sign(dossier=dossier, actor=user, note=note)
    if action == "send_back":
        return services.dossier_send_back(
            dossier=dossier, actor=user, reason=data.get("reason", "")
        )
    if action == "issue_result":
        # The signed-off draft; a dossier approved under the earlier flow has
        # none and takes the result here, as `appraise` does.
        return services.dossier_issue_signed_result(
            dossier=dossier,
            actor=user,
            title=data.get("title") or services.result_title_suggested(dossier),
            file=request.FILES.get("file"),
            generate=data.get("generate", False),
        )
    if action == "return_result":
        _require(data, "method")
        return services.dossier_return_result(
            dossier=dossier, actor=user, method=data["method"], note=note
        )
    if action == "refuse":
        return services.dossier_refuse(dossier=dossier, actor=user, reason=note)
    if action == "stop":
        return services.dossier_stop(dossier=dossier, actor=user, reason=note)
    if action == "stop_on_request":
        # The applicant online; a receiving officer for the applicant present.
        return services.dossier_stop(
            dossier=dossier,
            actor=user,
            origin=Origin.CITIZEN
            if dossier.applicant_id == user.pk
            else Origin.OFFICER,
            reason=note,
            on_request=True,
        )
    if action == "withdraw":
        return services.dossier_withdraw(dossier=dossier, actor=user, reason=note)
    if action == "apologize":
        _require(data, "new_due_date")
        return services.dossier_apologize(
            dossier=dossier, actor=user, new_due_date=data["new_due_date"], reason=note
        )
    if action == "rate":
        _require(data, "scores", "overall")
        return services.dossier_rate(
            dossier=dossier,
            actor=user,
            scores={str(k): v for k, v in data["scores"].items()},
            overall=data["overall"],
            comment=data.get("comment", ""),
        )
    if action == "assign":
        _require(data, "assignee")
        return services.dossier_assign(
            dossier=dossier, actor=user, assignee=_colleague(data["assignee"])
        )
    raise ValidationError({"action": [_("Thao tác không hợp lệ.")]})
