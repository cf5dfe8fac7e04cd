from django.contrib import admin

from referrals.models import AccessLogEntry, BridgeEmployment, UnsentMail


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


# Bridge figures (issue #9, part 5): which service employs a bridge figure is set here, as memberships are.
@admin.register(BridgeEmployment)
class BridgeEmploymentAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "starts_on", "ends_on"]
    list_filter = ["organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(UnsentMail)
class UnsentMailAdmin(admin.ModelAdmin):
    """Notifications that failed and wait for the daily command to send them again: read-only, so
    the operator sees what is pending; deleting one gives it up."""

    list_display = ["what", "to", "created_at", "attempts"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
