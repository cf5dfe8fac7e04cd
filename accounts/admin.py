from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import EmailAddressField
from accounts.models import Invitation, Membership, User
from accounts.roles import ROLE_TENANT, Role
from accounts.services import send_invitation
from audit.models import Action
from audit.services import record


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["school", "organisation", "municipality"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "preferred_language"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "organisation", "municipality", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "school__name", "organisation__name", "municipality__name"]
    autocomplete_fields = ["user", "school", "organisation", "municipality"]
    list_select_related = ["user", "school", "organisation", "municipality"]


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "school", "organisation", "municipality"]
        field_classes = {"email": EmailAddressField}

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        tenants = {kind: cleaned.get(kind) for kind in ("school", "organisation", "municipality") if cleaned.get(kind)}
        if role and (len(tenants) != 1 or ROLE_TENANT[Role(role)] not in tenants):
            raise ValidationError(
                _("Choose exactly one place, of the kind the role %(role)s belongs to (%(kind)s).")
                % {"role": Role(role).label, "kind": ROLE_TENANT[Role(role)].label}
            )
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Administrators invite the first director of a school (or lead of an organisation) here."""

    form = InvitationAdminForm
    list_display = ["email", "role", "school", "organisation", "municipality", "created_at", "expires_at", "status"]
    list_filter = ["role"]
    search_fields = ["email"]
    autocomplete_fields = ["school", "organisation", "municipality"]
    list_select_related = ["school", "organisation", "municipality"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        tenant = obj.school or obj.organisation or obj.municipality
        created = send_invitation(request=request, tenant=tenant, email=obj.email, role=obj.role)
        obj.pk = created.pk


# Authenticator apps and recovery codes: administrators see that someone has one, and may remove
# it (a lost phone) so the person sets up a new one at their next login. They never see a secret,
# nor add or change a device: django-otp's own admin pages, which show the key and a QR code, are
# replaced.
import django_otp.plugins.otp_static.admin  # noqa: E402 - registered first, so that it can be replaced
import django_otp.plugins.otp_totp.admin  # noqa: E402, F401

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class _DeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        record(action=Action.MFA_RESET, request=request, obj=obj.user, by_administrator=True)

    def delete_queryset(self, request, queryset):
        users = [device.user for device in queryset.select_related("user")]
        super().delete_queryset(request, queryset)
        for user in users:
            record(action=Action.MFA_RESET, request=request, obj=user, by_administrator=True)


admin.site.register(TOTPDevice, _DeviceAdmin)
admin.site.register(StaticDevice, _DeviceAdmin)
