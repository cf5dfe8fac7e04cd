"""Platform administrators keep the question bank here. Rounds and answers are not in the admin:
they belong to the teams, and answers of anonymous rounds are never shown with a name."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from reflection.models import Question, Questionnaire, QuestionnaireVersion, Section


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["slug", "audiences"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["order", "slug", "block", "chapter", "title_nl", "title_en"]
    extra = 0
    show_change_link = True


@admin.register(QuestionnaireVersion)
class VersionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "number", "title_nl", "published_at"]
    list_filter = ["questionnaire"]
    inlines = [SectionInline]
    actions = ["make_new_version", "publish"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return [f.name for f in self.model._meta.fields]
        return ["published_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def get_inlines(self, request, obj):
        return [] if obj is not None and obj.is_published else self.inlines

    @admin.action(description=_("Make a new version to edit"))
    def make_new_version(self, request, queryset):
        for version in queryset:
            draft = version.new_draft()
            messages.success(request, _("Version %(number)s is a draft now.") % {"number": draft.number})

    @admin.action(description=_("Publish (it can no longer change)"))
    def publish(self, request, queryset):
        for version in queryset.filter(published_at__isnull=True):
            version.publish()


class QuestionInline(admin.StackedInline):
    model = Question
    fields = [
        "order", "code", "covers", "kind", "required", "text_nl", "text_en", "help_nl", "help_en",
        "low_nl", "low_en", "high_nl", "high_en", "source", "options",
    ]  # fmt: skip
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).filter(round__isnull=True)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["version", "order", "title_nl", "block"]
    list_filter = ["version__questionnaire"]
    inlines = [QuestionInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = QuestionnaireVersion.objects.filter(published_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.published_version()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.published_version()
