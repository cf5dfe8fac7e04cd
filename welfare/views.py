import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import accesses_with, active_access, member_view, tenant_view
from accounts.models import Membership
from accounts.roles import Capability, TenantKind
from schools.models import PartnerRelation, RelationStatus, SchoolEvent, Training
from welfare.access import can_edit, get_location_for, get_organisation_for, is_own_organisation
from welfare.filters import ServiceFilter
from welfare.forms import (
    DecisionForm,
    ImportForm,
    LocationForm,
    OpeningHoursForm,
    OrganisationForm,
    ServiceForm,
    SuggestionForm,
)
from welfare.hsds_import import import_bundle
from welfare.hsds_tabular import load_any
from welfare.models import CorrectionSuggestion, Location, Schedule, Service, ServiceAtLocation
from welfare.services import add_opening_hours, decide_suggestion

PAGE_SIZE = 20
TRAININGS_SHOWN = 10


@tenant_view(Capability.VIEW_HOME, TenantKind.ORGANISATION)
def home(request, access):
    organisation = access.tenant
    return render(
        request,
        "welfare/home.html",
        {
            "access": access,
            "organisation": organisation,
            "municipalities": organisation.municipalities.order_by("name"),
            "services": organisation.services.order_by("name", "id"),
            "team": Membership.objects.active().for_tenant(organisation).role_counts(),
            "can_manage_team": access.can(Capability.MANAGE_TEAM),
            "can_edit": access.can(Capability.EDIT_OWN_ORGANISATION),
            "stale_services": organisation.services.stale().order_by("name", "id"),
            "pending_suggestions": organisation.suggestions.pending().count(),
            "locations": organisation.locations.select_related("municipality").order_by("name", "id"),
            # Only that a school lists it as a partner, and only when the school chose to share that.
            "partner_schools": PartnerRelation.objects.filter(organisation=organisation, shared_with_organisation=True)
            .select_related("school")
            .order_by("school__name"),
        },
    )


@member_view(Capability.VIEW_DIRECTORY)
def directory(request):
    services = Service.objects.published().for_directory().order_by("name", "id")
    filterset = ServiceFilter(request.GET or None, queryset=services)
    if filterset.is_bound and not filterset.is_valid():
        return render(request, "welfare/directory.html", {"filter": filterset, "page": None}, status=400)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_import = bool(accesses_with(request, Capability.CURATE_DIRECTORY))
    return render(request, "welfare/directory.html", {"filter": filterset, "page": page, "can_import": can_import})


@member_view(Capability.VIEW_DIRECTORY)
def organisation(request, organisation_id):
    organisation = get_organisation_for(request, organisation_id)
    own = is_own_organisation(request, organisation)
    services = (
        organisation.services.published()
        .prefetch_related(
            "needs",
            "target_groups",
            "languages",
            "outreach_forms",
            Prefetch(
                "at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related("schedules"),
            ),
        )
        .order_by("name", "id")
    )
    map_accesses = accesses_with(request, Capability.VIEW_MAP, TenantKind.SCHOOL)
    relations = {
        relation.school_id: relation
        for relation in PartnerRelation.objects.filter(
            organisation=organisation, school__in=[a.tenant for a in map_accesses]
        )
    }
    school_relations = [
        (access, relations.get(access.tenant.pk), access.can(Capability.EDIT_MAP)) for access in map_accesses
    ]
    # Where and when it is at schools, and the trainings it gave: its own workers see every school,
    # school staff only their own schools (a school's calendar is the school's).
    at_schools = (
        {}
        if own
        else {"school__in": [a.tenant for a in accesses_with(request, Capability.VIEW_HOME, TenantKind.SCHOOL)]}
    )
    today = timezone.localdate()
    presence = (
        SchoolEvent.objects.filter(organisation=organisation, **at_schools)
        .running_between(today, date.max)
        .select_related("school")
        .order_by("school__name", "starts_on", "start_time", "id")
    )
    trainings = (
        Training.objects.filter(provider=organisation, **at_schools)
        .select_related("school", "theme")
        .order_by("-held_on", "-id")[:TRAININGS_SHOWN]
    )
    return render(
        request,
        "welfare/organisation.html",
        {
            "organisation": organisation,
            "municipalities": organisation.municipalities.order_by("name"),
            "locations": Location.objects.filter(organisation=organisation).select_related("municipality"),
            "services": services,
            "contacts": organisation.contacts.order_by("name", "id"),
            "show_confidential": own,
            "can_edit": can_edit(request, organisation),
            "can_suggest": bool(accesses_with(request, Capability.SUGGEST_CORRECTION)),
            "school_relations": school_relations,
            "statuses": RelationStatus.choices,
            "presence": presence,
            "trainings": trainings,
        },
    )


@member_view(Capability.VIEW_DIRECTORY)
def edit_organisation(request, organisation_id):
    organisation = get_organisation_for(request, organisation_id, write=True)
    own = any(a.tenant.pk == organisation.pk for a in accesses_with(request, Capability.EDIT_OWN_ORGANISATION))
    curated = None if own else {a.tenant.pk for a in accesses_with(request, Capability.CURATE_DIRECTORY)}
    form = OrganisationForm(request.POST if request.method == "POST" else None, instance=organisation, curated=curated)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The entry is saved and marked as checked today."))
        return redirect(organisation.get_directory_url())
    return render(
        request,
        "welfare/organisation_form.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


@member_view(Capability.VIEW_DIRECTORY)
def edit_service(request, organisation_id, service_id=None):
    organisation = get_organisation_for(request, organisation_id, write=True)
    service = (
        get_object_or_404(organisation.services, pk=service_id) if service_id else Service(organisation=organisation)
    )
    form = ServiceForm(request.POST if request.method == "POST" else None, instance=service)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The service is saved and marked as checked today."))
        return redirect(service.get_absolute_url())
    return render(
        request,
        "welfare/service_form.html",
        {"organisation": organisation, "service": service, "form": form},
        status=400 if form.errors else 200,
    )


@member_view(Capability.CURATE_DIRECTORY)
def import_directory(request):
    """Curators load an HSDS file for the organisations of their municipality."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report, problems = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES
        if upload.size > limit:
            problems = [_("The file is larger than %(limit)s bytes.") % {"limit": f"{limit:,}"}]
        else:
            bundle, problems = load_any(upload.read(), max_bytes=limit)
        if not problems:
            curated = {
                a.tenant.pk for a in accesses_with(request, Capability.CURATE_DIRECTORY, TenantKind.MUNICIPALITY)
            }
            report = import_bundle(bundle, dry_run=form.cleaned_data["dry_run"], curated=curated)
            problems = report.errors
    failed = bool(form.errors or problems)
    return render(
        request,
        "welfare/import.html",
        {"form": form, "report": report, "problems": problems},
        status=400 if failed else 200,
    )


@login_not_required
def hsds_profile(request):
    """Brugwijzer's HSDS profile, as plain Markdown for people and machines."""
    text = (Path(settings.BASE_DIR) / "docs" / "hsds-profile.md").read_text(encoding="utf-8")
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


@member_view(Capability.SUGGEST_CORRECTION)
def suggest(request, organisation_id):
    """School staff tell the organisation (and its curators) that its entry is wrong or incomplete."""
    organisation = get_organisation_for(request, organisation_id)
    form = SuggestionForm(request.POST if request.method == "POST" else None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        schools = accesses_with(request, Capability.SUGGEST_CORRECTION, TenantKind.SCHOOL)
        current = active_access(request)
        school = current if current in schools else schools[0]
        suggestion = form.save(commit=False)
        suggestion.organisation = organisation
        suggestion.suggested_by = request.user
        suggestion.school = school.tenant
        suggestion.save()
        messages.success(
            request, _("Thank you. The organisation will look at your suggestion and answer you by email.")
        )
        return redirect(organisation.get_directory_url())
    return render(
        request,
        "welfare/suggest.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


@member_view(Capability.VIEW_DIRECTORY)
def suggestions(request, organisation_id):
    """The entry's editors answer the suggestions made about it."""
    organisation = get_organisation_for(request, organisation_id, write=True)
    if request.method == "POST":
        try:
            suggestion_id = uuid.UUID(request.POST.get("suggestion", ""))
        except ValueError:
            raise Http404 from None
        suggestion = get_object_or_404(organisation.suggestions.pending(), pk=suggestion_id)
        form = DecisionForm(request.POST)
        if form.is_valid():
            decide_suggestion(
                request=request,
                suggestion=suggestion,
                decision=form.cleaned_data["decision"],
                answer=form.cleaned_data["answer"],
            )
            messages.success(request, _("Your answer was saved and sent to the school."))
            return redirect("welfare:suggestions", organisation_id=organisation.pk)
        messages.error(request, _("Choose to accept or to reject the suggestion."))
    items = CorrectionSuggestion.objects.filter(organisation=organisation).select_related(
        "service", "suggested_by", "school", "decided_by"
    )
    return render(
        request,
        "welfare/suggestions.html",
        {
            "organisation": organisation,
            "pending": [s for s in items if s.status == "pending"],
            "answered": [s for s in items if s.status != "pending"][:30],
        },
    )


@member_view(Capability.VIEW_DIRECTORY)
def edit_location(request, organisation_id, location_id=None):
    """Addresses and opening hours, kept by the organisation's own workers and its curators; a
    confidential location only by the organisation's own workers (see `get_location_for`)."""
    organisation = get_organisation_for(request, organisation_id, write=True)
    own = is_own_organisation(request, organisation)
    location = (
        get_location_for(request, organisation, location_id) if location_id else Location(organisation=organisation)
    )
    form = LocationForm(
        request.POST if request.method == "POST" and "hours" not in request.POST else None,
        instance=location,
        organisation=organisation,
        own=own,
    )
    hours = OpeningHoursForm(
        request.POST if request.method == "POST" and "hours" in request.POST else None, organisation=organisation
    )
    if request.method == "POST" and "hours" in request.POST and not location._state.adding:
        if hours.is_valid():
            add_opening_hours(location=location, **hours.cleaned_data)
            messages.success(request, _("The opening hours are added."))
            return redirect("welfare:edit_location", organisation_id=organisation.pk, location_id=location.pk)
    elif request.method == "POST" and "remove" in request.POST and not location._state.adding:
        Schedule.objects.filter(
            service_at_location__location=location, pk=_uuid_or_404(request.POST["remove"])
        ).delete()
        messages.success(request, _("The opening hours are removed."))
        return redirect("welfare:edit_location", organisation_id=organisation.pk, location_id=location.pk)
    elif request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("The location is saved and marked as checked today."))
        return redirect("welfare:edit_location", organisation_id=organisation.pk, location_id=saved.pk)
    schedules = (
        Schedule.objects.filter(service_at_location__location=location).select_related("service_at_location__service")
        if not location._state.adding
        else []
    )
    failed = request.method == "POST" and (form.errors or hours.errors)
    return render(
        request,
        "welfare/location_form.html",
        {
            "organisation": organisation,
            "location": location,
            "location_saved": not location._state.adding,
            "own": own,
            "form": form,
            "hours": hours,
            "schedules": schedules,
        },
        status=400 if failed else 200,
    )


def _uuid_or_404(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None
