"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from brugwijzer.urls import handler500
from brugwijzer.urls import urlpatterns as project_patterns

__all__ = ["handler500", "urlpatterns"]


@login_not_required
def crash(request):
    # The message quotes what was sent, as a database error quotes a duplicate value.
    raise ValueError(f"could not save {request.GET.get('name', '')}")


@login_not_required
def refuse(request):
    raise PermissionDenied


@login_not_required
def malformed(request):
    raise BadRequest


urlpatterns = [
    path("tests/crash/", crash),
    path("tests/refuse/", refuse),
    path("tests/malformed/", malformed),
    *project_patterns,
]
