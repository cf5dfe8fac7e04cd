"""The plain-language explanation parents get before they agree, and the printable consent form.

Each version and language is one template under `templates/referrals/consent/<version>/<code>.html`
holding both the explanation and the form's wording, so a printed form is entirely in the parents'
language whatever language the care coordinator works in. To add a language: write its template
(translate an existing one), add it to LANGUAGES, and run makemigrations (the consent record keeps
the code of the language that was shown). A new wording gets a new version directory, so a consent
record always points to the exact text the parents saw.
"""

from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

EXPLANATION_VERSION = "2026-1"


@dataclass(frozen=True)
class ExplanationLanguage:
    code: str
    name: str  # in the language itself: parents pick their own language
    direction: str = "ltr"


LANGUAGES = [
    ExplanationLanguage("nl-be", "Nederlands"),
    ExplanationLanguage("en", "English"),
]
BY_CODE = {language.code: language for language in LANGUAGES}
CHOICES = [(language.code, language.name) for language in LANGUAGES]
# The interface language to render need names and dates in (nl and en have catalogues).
INTERFACE_LANGUAGE = {"nl-be": "nl", "en": "en"}


def template_name(code: str, version: str = EXPLANATION_VERSION) -> str:
    return f"referrals/consent/{version}/{code}.html"


def missing_templates(version: str = EXPLANATION_VERSION) -> list[str]:
    """Languages in the registry without a text for this version (a test keeps this empty)."""
    missing = []
    for language in LANGUAGES:
        try:
            get_template(template_name(language.code, version))
        except TemplateDoesNotExist:
            missing.append(language.code)
    return missing
