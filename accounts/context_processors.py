from accounts.access import accesses_for, active_access


def active_context(request):
    """The header's context switcher: every tenant the user works in and the active one."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"accesses": accesses_for(request), "active_access": active_access(request)}
