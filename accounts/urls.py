from django.urls import path, register_converter

from accounts import views
from accounts.middleware import second_factor_not_required


class TenantKindConverter:
    regex = "school|organisation|municipality"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(TenantKindConverter, "tenantkind")

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", second_factor_not_required(views.LogoutView.as_view()), name="logout"),
    path("login/code/", views.mfa_verify, name="mfa_verify"),
    path("security/", views.security, name="security"),
    path("security/app/", views.mfa_setup, name="mfa_setup"),
    path("security/app/remove/", views.remove_app, name="mfa_remove"),
    path("security/recovery-codes/", views.new_recovery_codes, name="recovery_codes"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        views.auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", views.accept, name="accept_invitation"),
    path("context/", views.switch_context, name="switch_context"),
    path("language/", views.set_language, name="set_language"),
    path("team/<tenantkind:kind>/<uuid:tenant_id>/", views.team, name="team"),
    path("team/<tenantkind:kind>/<uuid:tenant_id>/invite/", views.invite, name="invite"),
    path(
        "team/<tenantkind:kind>/<uuid:tenant_id>/invitations/<uuid:invitation_id>/revoke/",
        views.revoke,
        name="revoke_invitation",
    ),
    path(
        "team/<tenantkind:kind>/<uuid:tenant_id>/members/<int:membership_id>/end/",
        views.end,
        name="end_membership",
    ),
]
