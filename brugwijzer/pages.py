"""Pages anyone may read, signed in or not."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import get_language


@login_not_required
def privacy(request):
    """What Brugwijzer stores, why, for how long and who sees it, in plain language. The text is
    one template per language (too long for the message catalogue)."""
    language = "en" if (get_language() or "nl").startswith("en") else "nl"
    return render(
        request,
        f"pages/privacy_{language}.html",
        {"retention_months": settings.BRUGWIJZER_RETENTION_MONTHS},
    )
