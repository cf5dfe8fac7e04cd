import django_filters
from django import forms
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from places.models import Municipality
from welfare.models import Language, NeedCategory, OrganisationType, OutreachForm, Service, TargetGroup


def text_search(queryset, value: str):
    """PostgreSQL full-text search (Dutch stemming) when available, a plain contains-match otherwise."""
    value = value.strip()
    if not value:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        # Both conditions read columns the database keeps up to date (welfare migration 0006) and
        # each has a GIN index, so PostgreSQL combines two index scans instead of reading the whole
        # directory. The substring match finds parts of Dutch compounds ("budget" in
        # "budgetbegeleiding") that the stemmed full-text search does not.
        return queryset.filter(
            Q(search_document=SearchQuery(value, config="dutch", search_type="websearch"))
            | Q(search_text__contains=value.lower())
        )
    return queryset.filter(
        Q(name__icontains=value) | Q(description__icontains=value) | Q(organisation__name__icontains=value)
    )


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    need = django_filters.ModelChoiceFilter(
        label=_("Need"), field_name="needs", queryset=NeedCategory.objects.all(), empty_label=_("All needs")
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("For"), field_name="target_groups", queryset=TargetGroup.objects.all(), empty_label=_("Everyone")
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        field_name="service_areas",
        queryset=Municipality.objects.all(),
        empty_label=_("All municipalities"),
    )
    postal_code = django_filters.CharFilter(
        label=_("Postal code"), method="near_postal_code", widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"), field_name="languages", queryset=Language.objects.all(), empty_label=_("Any language")
    )
    organisation_type = django_filters.ModelChoiceFilter(
        label=_("Type of organisation"),
        field_name="organisation__organisation_type",
        queryset=OrganisationType.objects.all(),
        empty_label=_("All types"),
    )
    outreach = django_filters.ModelChoiceFilter(
        label=_("Comes to the school"),
        field_name="outreach_forms",
        queryset=OutreachForm.objects.all(),
        empty_label=_("No preference"),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("name", "name"), ("organisation__name", "organisation"), ("updated_at", "updated")],
        field_labels={"name": _("Service"), "organisation__name": _("Organisation"), "updated_at": _("Last changed")},
        empty_label=None,
    )

    class Meta:
        model = Service
        fields = []

    def search(self, queryset, name, value):
        return text_search(queryset, value)

    def near_postal_code(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Offered at an address with that postal code, or serving a municipality where a known
        # address (a location or a school) has it.
        # Confidential addresses never count: a search must not reveal where a shelter is.
        return queryset.filter(
            Q(at_locations__location__postal_code=value, at_locations__location__is_confidential=False)
            | Q(
                service_areas__welfare_locations__postal_code=value,
                service_areas__welfare_locations__is_confidential=False,
            )
            | Q(service_areas__schools__postal_code=value)
        )

    # Filters that join a many-to-many relation, so a service can match more than once.
    REPEATING = ("need", "target_group", "municipality", "language", "outreach", "postal_code")

    def filter_queryset(self, queryset):
        filtered = super().filter_queryset(queryset)
        # Show each service once. Only where a filter can repeat one: without DISTINCT the database
        # reads the services in name order and stops at the end of the page.
        if any(self.form.cleaned_data.get(name) for name in self.REPEATING):
            return filtered.distinct()
        return filtered
