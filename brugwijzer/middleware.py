import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.signals import request_finished
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

from brugwijzer.logs import new_request_id, request_id_var


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Dutch unless the person chose another language.

    The choice lives in the language cookie, set by the language switch and at login from the
    account's preferred language. The browser's Accept-Language is not consulted: school laptops
    often run an English system while the team works in Dutch.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionLifetimeMiddleware:
    """End a session 12 hours after login, however active it was, and keep an active one alive: the
    idle limit is SESSION_COOKIE_AGE from the last renewal, which happens at most once a minute."""

    KEY = "brugwijzer_login_at"
    TOUCHED = "brugwijzer_touched_at"
    RENEW_AFTER = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.BRUGWIJZER_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(self.TOUCHED, 0) > self.RENEW_AFTER:
                request.session[self.TOUCHED] = now  # saved with the response: a fresh expiry
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for a signed-in person are never kept by the browser or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RequestIdMiddleware:
    """Give every request an id: the load balancer's X-Request-ID when it is a plain token, our own
    otherwise. Every log line written while serving the request carries it, and the response
    returns it (gunicorn's access log reads it there), so one request can be followed through the
    balancer, gunicorn and Django without logging anything about the person.

    The id stays set until the request has finished: Django logs 4xx and 5xx responses after the
    whole middleware chain has returned, and those lines must carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_request_id(request.headers.get("X-Request-ID"))
        request_id_var.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


@receiver(request_finished, dispatch_uid="brugwijzer.middleware.forget_request_id")
def forget_request_id(**kwargs):
    request_id_var.set("-")
