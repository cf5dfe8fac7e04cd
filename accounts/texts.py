"""Django's own texts on our password pages, said the way Brugwijzer speaks: Django's Dutch catalogue
addresses people with "u", Brugwijzer with "je". Named here so `make messages` keeps them in our
catalogue (locale/nl), whose translations win over Django's. Nothing imports this module's values;
the exact English texts are Django's, so they must stay identical to its source."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_PASSWORD_TEXTS = [
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
]
MINIMUM_LENGTH_HELP = ngettext_lazy(
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
    "min_length",
)
