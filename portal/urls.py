from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

site_patterns = (
    [
        path("", views.home, name="home"),
        path("help/", views.help_page, name="help"),
        path("about/", views.about, name="about"),
        path("staff/", views.staff_home, name="staff-home"),
        path("preferences/text-size/", views.text_size, name="text-size"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(site_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("procedures/", include("procedures.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("procedures.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]
