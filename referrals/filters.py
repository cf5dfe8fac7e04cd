import django_filters
from django.utils.translation import gettext_lazy as _

from referrals.models import Channel, SchoolAction, Signal
from welfare.models import NeedCategory


class SignalFilter(django_filters.FilterSet):
    school_year = django_filters.ChoiceFilter(label=_("School year"), empty_label=_("All school years"))
    need = django_filters.ModelChoiceFilter(
        label=_("Need"), queryset=NeedCategory.objects.all(), empty_label=_("All needs")
    )
    channel = django_filters.ChoiceFilter(label=_("How it came in"), choices=Channel.choices, empty_label=_("Any way"))
    action = django_filters.ChoiceFilter(
        label=_("What the school did"), choices=SchoolAction.choices, empty_label=_("Anything")
    )

    class Meta:
        model = Signal
        fields = []

    def __init__(self, *args, school_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school_year"].extra["choices"] = [(year, year) for year in school_years]
