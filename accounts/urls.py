from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp, name="login-otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("oidc/login/", views.oidc_login, name="oidc-login"),
    path("oidc/callback/", views.oidc_callback, name="oidc-callback"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("me/", views.account_home, name="account-home"),
    path("me/profile/", views.profile_edit, name="profile-edit"),
    path(
        "me/household/add/",
        views.household_member_create,
        name="household-member-add",
    ),
    path(
        "me/household/<int:pk>/edit/",
        views.household_member_edit,
        name="household-member-edit",
    ),
    path(
        "me/household/<int:pk>/delete/",
        views.household_member_remove,
        name="household-member-delete",
    ),
    path("me/documents/", views.stored_document_list, name="stored-document-list"),
    path(
        "me/documents/add/",
        views.stored_document_create,
        name="stored-document-add",
    ),
    path(
        "me/documents/<int:pk>/",
        views.stored_document_detail,
        name="stored-document-detail",
    ),
    path(
        "me/documents/<int:pk>/file/",
        views.stored_document_download,
        name="stored-document-download",
    ),
    path(
        "me/documents/<int:pk>/delete/",
        views.stored_document_remove,
        name="stored-document-delete",
    ),
    path("staff/citizens/", views.citizen_lookup, name="citizen-lookup"),
    path("staff/citizens/<int:pk>/", views.citizen_detail, name="citizen-detail"),
    # Development and demo only (404 otherwise): the test SMS inbox.
    path("dev/sms/", views.sms_outbox, name="sms-outbox"),
]
