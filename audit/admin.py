from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "school",
        "organisation",
        "municipality",
        "ip_address",
    ]
    list_filter = ["action", "at"]
    search_fields = ["actor_label", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["school", "organisation", "municipality"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
