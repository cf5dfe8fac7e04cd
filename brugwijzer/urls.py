from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts import views as account_views
from brugwijzer import health, pages

admin.site.site_header = _("Brugwijzer administration")
admin.site.site_title = _("Brugwijzer administration")

handler500 = "brugwijzer.errors.server_error"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("privacy/", pages.privacy, name="privacy"),
    path("accounts/", include("accounts.urls")),
    path("schools/", include("schools.urls")),
    path("", include("referrals.urls")),
    path("", include("welfare.urls")),
    path("", include("reflection.urls")),
    path("municipalities/", include("network.urls")),
    # One way in for everybody, administrators included: our login, with lockout, audit and the code step.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    ),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
