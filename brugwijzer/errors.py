"""The 500 page, with the incident id.

Django's own handler renders 500.html without a request, so the page cannot say which request
failed. This one passes the request id (RequestIdMiddleware), which the log line of the error
carries too: someone who reports the problem can quote it, and we find the stack trace in the
logs, never on the page. Still no request context: nothing that could fail again (the database,
the session) is touched while rendering it.
"""

from django.http import HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request):
    return HttpResponseServerError(render_to_string("500.html", {"incident_id": getattr(request, "request_id", "")}))
