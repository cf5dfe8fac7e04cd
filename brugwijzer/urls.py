from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from brugwijzer import health, pages

admin.site.site_header = _("Brugwijzer administration")
admin.site.site_title = _("Brugwijzer administration")

urlpatterns = [
    path("", account_views.home, name="home"),
    path("privacy/", pages.privacy, name="privacy"),
    path("accounts/", include("accounts.urls")),
    path("schools/", include("schools.urls")),
    path("", include("referrals.urls")),
    path("", include("welfare.urls")),
    path("", include("reflection.urls")),
    path("municipalities/", include("network.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
