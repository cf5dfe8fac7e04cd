from django.contrib import admin

from referrals.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """The access register of family details, read-only. Families themselves are not in the admin."""

    list_display = ["at", "user", "family_reference", "school", "action"]
    list_filter = ["action", "school"]
    search_fields = ["family_reference", "user__email"]
    list_select_related = ["user", "school"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
