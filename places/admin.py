from django.contrib import admin

from places.models import Municipality, Region


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "nis_code", "province"]
    list_filter = ["province"]
    search_fields = ["name", "nis_code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Administrators define intermunicipal regions; officials of every member municipality then
    see the region's dashboard."""

    list_display = ["name"]
    search_fields = ["name", "municipalities__name"]
    filter_horizontal = ["municipalities"]
