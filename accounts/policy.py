"""The login policy (issue 19, point 4): with `CITIZEN_EID_LOGIN_ONLY`, citizens
log in by electronic identity (OpenID Connect) only, and the password login is the
staff's, who then give their TOTP code. Their accounts keep any password they had;
it just no longer opens them (docs/identity.md, decision 304)."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

EID_ONLY_MESSAGE = _(
    "Công dân đăng nhập bằng tài khoản định danh điện tử (VNeID): chọn “Đăng nhập "
    "bằng định danh điện tử”. Đăng nhập bằng mật khẩu chỉ dành cho cán bộ."
)


def citizens_use_eid_only() -> bool:
    return bool(settings.CITIZEN_EID_LOGIN_ONLY)


def password_login_allowed(user: Any) -> bool:
    """Whether `user` may log in (or take an API token) with a password: staff
    always (their TOTP code follows); citizens unless the policy says e-ID only."""
    return bool(user.requires_otp) or not citizens_use_eid_only()
