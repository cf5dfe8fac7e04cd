"""The admin site, for platform administrators only (Django staff).

Django sends whoever may not use the admin to the admin's login page, which here is our own login
(one way in for everybody, see urls.py). Our login sends a person who is already signed in back to
the page asked for: the admin again, and so on forever. So a signed-in person who is not staff gets
the 403 page at once; anonymous visitors still go to the login, and staff still pass the code step
first (accounts.middleware.SecondFactorMiddleware).
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.core.exceptions import PermissionDenied


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return update_wrapper(inner, guarded)


class AdminConfig(DjangoAdminConfig):
    default_site = "brugwijzer.admin_site.AdminSite"
