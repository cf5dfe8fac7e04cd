from django.contrib import admin

from welfare.models import OrganisationType, WelfareOrganisation


@admin.register(OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "cluster", "has_professional_secrecy", "slug"]
    list_filter = ["cluster", "has_professional_secrecy"]
    search_fields = ["name_nl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(WelfareOrganisation)
class WelfareOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_type"]
    list_filter = ["organisation_type__cluster", "organisation_type"]
    search_fields = ["name"]
    autocomplete_fields = ["municipalities"]
    list_select_related = ["organisation_type"]
