from django.contrib import admin

from welfare.models import (
    Contact,
    Language,
    Location,
    NeedCategory,
    NeedSubcategory,
    OrganisationType,
    OutreachForm,
    Schedule,
    Service,
    ServiceAtLocation,
    TargetGroup,
    WelfareOrganisation,
)


@admin.register(OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "cluster", "has_professional_secrecy", "slug"]
    list_filter = ["cluster", "has_professional_secrecy"]
    search_fields = ["name_nl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(NeedCategory, TargetGroup, OutreachForm, Language)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "code", "position"]
    search_fields = ["name_nl", "name_en", "code"]


@admin.register(NeedSubcategory)
class NeedSubcategoryAdmin(TermAdmin):
    list_display = [*TermAdmin.list_display, "category"]
    list_filter = ["category"]


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    autocomplete_fields = ["municipality"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "email", "phone", "service"]


@admin.register(WelfareOrganisation)
class WelfareOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_type", "checked_on", "updated_at"]
    list_filter = ["organisation_type__cluster", "organisation_type", "education_remit"]
    search_fields = ["name", "alternate_name", "kbo_number"]
    autocomplete_fields = ["municipalities"]
    list_select_related = ["organisation_type"]
    inlines = [LocationInline, ContactInline]


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


@admin.register(ServiceAtLocation)
class ServiceAtLocationAdmin(admin.ModelAdmin):
    list_display = ["service", "location"]
    list_select_related = ["service", "location"]
    autocomplete_fields = ["service", "location"]
    inlines = [ScheduleInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "municipality", "is_confidential"]
    list_filter = ["is_confidential"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation", "municipality"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "status", "waiting_list", "checked_on"]
    list_filter = ["status", "needs", "waiting_list"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation", "service_areas"]
    filter_horizontal = ["needs", "subcategories", "target_groups", "outreach_forms", "languages"]
    list_select_related = ["organisation"]
