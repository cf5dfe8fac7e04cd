from django.contrib import admin

from schools.models import School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "institution_number", "municipality", "education_network", "level", "clb"]
    list_filter = ["education_network", "level", "municipality"]
    search_fields = ["name", "institution_number"]
    autocomplete_fields = ["municipality", "clb"]
    list_select_related = ["municipality", "clb"]
