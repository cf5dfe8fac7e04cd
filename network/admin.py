from django.contrib import admin

from network.models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "nis_code", "province"]
    list_filter = ["province"]
    search_fields = ["name", "nis_code"]
