from django.shortcuts import redirect

from accounts import mfa


def second_factor_not_required(view):
    """Mark a view a signed-in person may use before giving their code (the code step, logout)."""
    view.second_factor_required = False
    return view


class SecondFactorMiddleware:
    """Until a signed-in person who needs a second factor has given it, every page sends them to
    the code step (or to set-up when they have no app yet). Public pages (`login_not_required`)
    and the views marked `second_factor_not_required` still work. Runs after OTPMiddleware, which
    tells whether the session was verified with a device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or not getattr(view_func, "second_factor_required", True):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        step = mfa.step_for(request)
        if step is None:
            return None
        return redirect(mfa.step_url(step, request.get_full_path()))
