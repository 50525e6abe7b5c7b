"""django-oauth-toolkit's endpoints, under its own namespace (its views reverse
"oauth2_provider:..."). Only what an OpenID provider for one client needs."""

from django.urls import path, re_path
from oauth2_provider import views as dot

from .views import IdentityAuthorizationView, idp_enabled

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", IdentityAuthorizationView.as_view(), name="authorize"),
    path("token/", idp_enabled(dot.TokenView.as_view()), name="token"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        idp_enabled(dot.ConnectDiscoveryInfoView.as_view()),
        name="oidc-connect-discovery-info",
    ),
    path(
        ".well-known/jwks.json",
        idp_enabled(dot.JwksInfoView.as_view()),
        name="jwks-info",
    ),
    path("userinfo/", idp_enabled(dot.UserInfoView.as_view()), name="user-info"),
]
