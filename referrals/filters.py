import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from referrals.models import AccessAction, AccessLogEntry, Channel, Family, SchoolAction, Signal
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


class AccessLogFilter(django_filters.FilterSet):
    """The school's access register: by person, family, kind of access and period."""

    user = django_filters.ModelChoiceFilter(label=_("Who"), queryset=User.objects.none(), empty_label=_("Anyone"))
    family = django_filters.ModelChoiceFilter(
        label=_("Family"), queryset=Family.objects.none(), empty_label=_("Any family")
    )
    action = django_filters.ChoiceFilter(label=_("What"), choices=AccessAction.choices, empty_label=_("Anything"))
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AccessLogEntry
        fields = []

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        seen = AccessLogEntry.objects.for_school(school).values("user")
        self.filters["user"].queryset = User.objects.filter(pk__in=seen).order_by("full_name", "email")
        self.filters["family"].queryset = Family.objects.for_school(school)
