from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from accounts.access import tenant_view
from accounts.models import Membership
from accounts.roles import Capability, TenantKind
from brugwijzer.downloads import content_disposition
from reflection.models import ActionPoint
from schools import calendar, kaart
from schools.forms import (
    AttendanceForm,
    ClbAgreementForm,
    CollaborationForm,
    FocusNeedsForm,
    MapFilterForm,
    QuickRelationForm,
    RelationForm,
    SchoolEventForm,
    TrainingForm,
)
from schools.models import (
    CalendarFeed,
    ClbAgreement,
    EventAttendance,
    PartnerRelation,
    RelationStatus,
    School,
    SchoolEvent,
    Training,
)
from schools.services import renew_calendar_feed, save_clb_agreement, save_relation
from schools.years import school_year_of
from welfare.models import Service, WelfareOrganisation

# Statuses that count as "the school knows someone for this need".
KNOWN = (RelationStatus.CLOSE, RelationStatus.NONE_YET)
SUGGESTIONS_PER_NEED = 3


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def home(request, access):
    school = access.tenant
    today = timezone.localdate()
    return render(
        request,
        "schools/home.html",
        {
            "access": access,
            "school": school,
            "team": Membership.objects.active().for_tenant(school).role_counts(),
            "can_manage_team": access.can(Capability.MANAGE_TEAM),
            "relation_counts": _relation_counts(school),
            "open_actions": ActionPoint.objects.open().for_tenant(school).for_home(),
            "today": today,
            "upcoming": _upcoming(school, today),
            "recent_trainings": Training.objects.filter(school=school).for_list()[:RECENT_TRAININGS],
        },
    )


RECENT_TRAININGS = 3


def _upcoming(school, today):
    """The dates of this week and next, from today on."""
    _first, last = calendar.this_week_and_next(today)
    events = SchoolEvent.objects.filter(school=school).running_between(today, last).for_calendar()
    return calendar.occurrences(events, today, last)


def _relation_counts(school):
    counts = dict(school.relations.values_list("status").annotate(n=Count("id")).order_by())
    return [(status.label, counts.get(status, 0)) for status in RelationStatus if status != RelationStatus.UNKNOWN]


def _gaps(school, relations, focus_needs):
    """Needs the school wants partners for but knows no organisation for, with suggestions."""
    if not focus_needs:
        return []
    known = {r.organisation_id for r in relations if r.status in KNOWN}
    offers = (
        Service.objects.published()
        .filter(needs__in=focus_needs)
        .filter(Q(service_areas=school.municipality) | Q(organisation__municipalities=school.municipality))
        .values_list("needs", "organisation_id", "organisation__name", "name")
        .distinct()
        .order_by("organisation__name", "name")
    )
    by_need: dict = {}
    for need_id, organisation_id, organisation_name, service_name in offers:
        if need_id in {n.pk for n in focus_needs}:
            by_need.setdefault(need_id, []).append((organisation_id, organisation_name, service_name))
    gaps = []
    for need in focus_needs:
        options = by_need.get(need.pk, [])
        if any(organisation_id in known for organisation_id, _name, _service in options):
            continue
        gaps.append({"need": need, "suggestions": options[:SUGGESTIONS_PER_NEED]})
    return gaps


@tenant_view(Capability.VIEW_MAP, TenantKind.SCHOOL)
def kaart_view(request, access):
    school = access.tenant
    kind_filter = MapFilterForm(request.GET or None)
    kind = kind_filter.cleaned_data["kind"] if kind_filter.is_valid() else ""
    relations = PartnerRelation.objects.filter(school=school).for_map()
    if kind:
        relations = relations.filter(collaborations__kind=kind)
    relations = list(relations)
    related = {r.organisation_id for r in relations}
    unknown = (
        []
        if kind
        else [
            o
            for o in WelfareOrganisation.objects.for_directory().serving(school.municipality).order_by("name", "id")
            if o.pk not in related
        ]
    )
    order = {status: index for index, status in enumerate(kaart.RADIUS)}
    rows = sorted(
        [(r.organisation, RelationStatus(r.status), r) for r in relations]
        + [(o, RelationStatus.UNKNOWN, None) for o in unknown],
        key=lambda row: (order[row[1]], row[0].name),
    )
    marks, hidden = kaart.layout([(organisation, status) for organisation, status, _relation in rows])
    focus_needs = list(school.focus_needs.all())
    can_edit = access.can(Capability.EDIT_MAP)
    return render(
        request,
        "schools/kaart.html",
        {
            "access": access,
            "school": school,
            "rows": [(number, *row) for number, row in enumerate(rows, start=1)],
            "marks": marks,
            "hidden": hidden,
            "rings": [(status.label, radius, kaart.STYLE[status]) for status, radius in kaart.RADIUS.items()],
            "sectors": kaart.sectors(),
            "size": kaart.SIZE,
            "centre": kaart.CENTRE,
            "gaps": _gaps(school, relations, focus_needs),
            "focus_needs": focus_needs,
            "focus_form": FocusNeedsForm(instance=school) if can_edit else None,
            "can_edit": can_edit,
            "kind_filter": kind_filter if kind_filter.is_bound else MapFilterForm(),
            "kind_chosen": kind,
        },
        status=400 if kind_filter.is_bound and not kind_filter.is_valid() else 200,
    )


@tenant_view(Capability.VIEW_MAP, TenantKind.SCHOOL)
def relation(request, access, organisation_id):
    school = access.tenant
    organisation = get_object_or_404(WelfareOrganisation.objects.for_directory(), pk=organisation_id)
    instance = PartnerRelation.objects.filter(school=school, organisation=organisation).first() or PartnerRelation(
        school=school, organisation=organisation
    )
    previous_status = instance.status if instance.pk else ""
    profile = None
    if request.method == "POST":
        if not access.can(Capability.EDIT_MAP):
            raise PermissionDenied
        quick = bool(request.POST.get("quick"))
        form = (QuickRelationForm if quick else RelationForm)(request.POST, instance=instance)
        profile = None if quick else CollaborationForm(request.POST, relation=instance)
        if form.is_valid() and (profile is None or profile.is_valid()):
            save_relation(
                relation=form.save(commit=False),
                user=request.user,
                previous_status=previous_status,
                collaborations=None if profile is None else profile.chosen(),
            )
            messages.success(
                request,
                _("%(organisation)s is now on your map as: %(status)s.")
                % {"organisation": organisation, "status": form.instance.get_status_display()},
            )
            target = organisation.get_directory_url() if request.POST.get("quick") else None
            return redirect(target or "schools:map", **({} if target else {"school_id": school.public_id}))
    else:
        form = RelationForm(instance=instance)
    if profile is None or request.method != "POST":
        profile = CollaborationForm(relation=instance)
    return render(
        request,
        "schools/relation.html",
        {
            "access": access,
            "school": school,
            "organisation": organisation,
            "form": form,
            "profile": profile,
            "collaborations": instance.collaborations.all() if instance.pk else [],
            "can_edit": access.can(Capability.EDIT_MAP),
            "changes": instance.changes.select_related("changed_by") if instance.pk else [],
        },
        status=400 if form.errors or profile.errors else 200,
    )


@tenant_view(Capability.EDIT_MAP, TenantKind.SCHOOL)
@require_POST
def focus(request, access):
    form = FocusNeedsForm(request.POST, instance=access.tenant)
    if form.is_valid():
        form.save()
        messages.success(request, _("The needs your school wants partners for are saved."))
    else:
        messages.error(request, _("Choose needs from the list."))
    return redirect("schools:map", school_id=access.tenant.public_id)


def _agreement_page(request, access, school, *, can_edit, back=None):
    """The agreement note of this school year (or an earlier version), its history and, for editors,
    the form for the next version. Shared by the school's and the CLB's side."""
    school_year = school_year_of(timezone.localdate())
    versions = list(
        ClbAgreement.objects.filter(school=school)
        .select_related("clb", "saved_by")
        .order_by("-school_year", "-version")
    )
    wanted = request.GET.get("version")
    shown = next((v for v in versions if str(v.pk) == wanted), None) if wanted else (versions[0] if versions else None)
    if wanted and shown is None:
        raise Http404
    form = None
    status = 200
    if can_edit:
        start = next((v for v in versions if v.school_year == school_year), versions[0] if versions else None)
        form = ClbAgreementForm(request.POST or None, instance=ClbAgreement() if start is None else _copy(start))
        if request.method == "POST":
            if school.clb_id is None:
                messages.error(request, _("The school has no CLB yet: an administrator links it first."))
                status = 400
            elif form.is_valid():
                saved = save_clb_agreement(
                    school=school, school_year=school_year, agreement=form.instance, user=request.user
                )
                messages.success(
                    request, _("Version %(version)s of the agreement note is saved.") % {"version": saved.version}
                )
                return redirect(back or saved)
            else:
                status = 400
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "schools/clb_agreement.html",
        {
            "access": access,
            "school": school,
            "school_year": school_year,
            "shown": shown,
            "versions": versions,
            "form": form,
        },
        status=status,
    )


def _copy(agreement):
    """An unsaved copy to start the next version from."""
    return ClbAgreement(
        **{f.attname: getattr(agreement, f.attname) for f in ClbAgreement._meta.concrete_fields if f.name != "id"}
    )


@tenant_view(Capability.VIEW_CLB_AGREEMENT, TenantKind.SCHOOL)
def clb_agreement(request, access):
    school = School.objects.select_related("clb").get(pk=access.tenant.pk)
    return _agreement_page(request, access, school, can_edit=access.can(Capability.EDIT_CLB_AGREEMENT))


@tenant_view(Capability.VIEW_CLB_AGREEMENT, TenantKind.ORGANISATION)
def clb_schools(request, access):
    """The CLB's side: the schools it serves, each with its latest agreement note."""
    clb = access.tenant
    schools = School.objects.filter(clb=clb).order_by("name", "id")
    latest = {a.school_id: a for a in ClbAgreement.objects.filter(clb=clb).latest_per_year()}
    if clb.organisation_type.slug != "clb":
        raise Http404
    return render(
        request,
        "schools/clb_schools.html",
        {"access": access, "clb": clb, "rows": [(s, latest.get(s.pk)) for s in schools]},
    )


@tenant_view(Capability.VIEW_CLB_AGREEMENT, TenantKind.ORGANISATION)
def clb_school_agreement(request, access, school_id):
    school = get_object_or_404(School.objects.select_related("clb"), clb=access.tenant, public_id=school_id)
    return _agreement_page(
        request,
        access,
        school,
        can_edit=access.can(Capability.EDIT_CLB_AGREEMENT),
        back=reverse(
            "schools:clb_school_agreement", kwargs={"organisation_id": access.tenant.pk, "school_id": school.public_id}
        ),
    )


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def engagements(request, access):
    """What the school committed to with the local government or a bridge-figure service."""
    from network.models import EngagementDeclaration

    declarations = (
        EngagementDeclaration.objects.filter(school=access.tenant)
        .select_related("municipality", "partner")
        .prefetch_related("items")
        .order_by("-school_year", "id")
    )
    return render(
        request, "schools/engagements.html", {"access": access, "school": access.tenant, "declarations": declarations}
    )


# The school calendar: partners at school, preventive activities and trainings.


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def school_calendar(request, access):
    school = access.tenant
    today = timezone.localdate()
    _first, last = calendar.this_week_and_next(today)
    events = list(SchoolEvent.objects.filter(school=school).running_between(today, date.max).for_calendar())
    feed = CalendarFeed.objects.filter(school=school).first()
    return render(
        request,
        "schools/calendar.html",
        {
            "access": access,
            "school": school,
            "today": today,
            "upcoming": calendar.occurrences(events, today, last),
            "events": events,
            "past_activities": SchoolEvent.objects.filter(school=school)
            .ended_before(today)
            .for_calendar()
            .reverse()[:PAST_SHOWN],
            "trainings": Training.objects.filter(school=school).for_list(),
            "can_plan": access.can(Capability.PLAN_CALENDAR),
            "can_renew": access.can(Capability.RENEW_CALENDAR_FEED),
            "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
            "feed": feed,
        },
    )


PAST_SHOWN = 20


def _event_for(access, event_id) -> SchoolEvent:
    return get_object_or_404(
        SchoolEvent.objects.select_related("organisation", "school"), school=access.tenant, public_id=event_id
    )


@tenant_view(Capability.PLAN_CALENDAR, TenantKind.SCHOOL)
def new_event(request, access):
    event = SchoolEvent(school=access.tenant, created_by=request.user)
    form = SchoolEventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The date is on the school calendar."))
        return redirect("schools:calendar", school_id=access.tenant.public_id)
    return render(
        request,
        "schools/event_form.html",
        {"access": access, "school": access.tenant, "form": form},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def event(request, access, event_id):
    """One entry of the calendar: its dates and, for a preventive activity, how many came. Those
    who plan the calendar change it here."""
    entry = _event_for(access, event_id)
    can_plan = access.can(Capability.PLAN_CALENDAR)
    if request.method == "POST" and not can_plan:
        raise PermissionDenied
    form = SchoolEventForm(request.POST or None, instance=entry) if can_plan else None
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The calendar entry is saved."))
        return redirect(entry)
    today = timezone.localdate()
    return render(
        request,
        "schools/event.html",
        {
            "access": access,
            "school": access.tenant,
            "entry": entry,
            "form": form,
            "next_dates": calendar.dates_of(entry, today, entry.ends_on or entry.starts_on)[:NEXT_DATES],
            "attendances": entry.attendances.all() if entry.is_preventive else [],
            "attendance_form": AttendanceForm(event=entry, today=today) if can_plan and entry.is_preventive else None,
        },
        status=400 if form is not None and form.errors else 200,
    )


NEXT_DATES = 10


@tenant_view(Capability.PLAN_CALENDAR, TenantKind.SCHOOL)
@require_POST
def event_attendance(request, access, event_id):
    entry = _event_for(access, event_id)
    if not entry.is_preventive:
        raise Http404
    form = AttendanceForm(request.POST, event=entry, today=timezone.localdate())
    if form.is_valid():
        EventAttendance.objects.update_or_create(
            event=entry,
            held_on=form.cleaned_data["held_on"],
            defaults={"attendees": form.cleaned_data["attendees"], "recorded_by": request.user},
        )
        messages.success(request, _("The number of people who came is saved."))
        return redirect(entry)
    return render(
        request,
        "schools/event.html",
        {
            "access": access,
            "school": access.tenant,
            "entry": entry,
            "form": SchoolEventForm(instance=entry),
            "next_dates": [],
            "attendances": entry.attendances.all(),
            "attendance_form": form,
        },
        status=400,
    )


@tenant_view(Capability.PLAN_CALENDAR, TenantKind.SCHOOL)
@require_POST
def delete_event(request, access, event_id):
    entry = _event_for(access, event_id)
    entry.delete()
    messages.success(request, _("The calendar entry is removed."))
    return redirect("schools:calendar", school_id=access.tenant.public_id)


@tenant_view(Capability.PLAN_CALENDAR, TenantKind.SCHOOL)
def new_training(request, access):
    return _training_page(request, access, Training(school=access.tenant, created_by=request.user))


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def training(request, access, training_id):
    found = get_object_or_404(
        Training.objects.select_related("provider", "theme"), school=access.tenant, public_id=training_id
    )
    return _training_page(request, access, found)


def _training_page(request, access, instance):
    can_plan = access.can(Capability.PLAN_CALENDAR)
    if request.method == "POST" and not can_plan:
        raise PermissionDenied
    form = TrainingForm(request.POST or None, instance=instance) if can_plan else None
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The training is saved."))
        return redirect("schools:calendar", school_id=access.tenant.public_id)
    return render(
        request,
        "schools/training.html",
        {"access": access, "school": access.tenant, "training": instance, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@tenant_view(Capability.RENEW_CALENDAR_FEED, TenantKind.SCHOOL)
@require_POST
def renew_feed(request, access):
    renew_calendar_feed(school=access.tenant, user=request.user)
    messages.success(request, _("The calendar has a new address. The old address no longer works."))
    return redirect("schools:calendar", school_id=access.tenant.public_id)


@login_not_required
@require_GET
@cache_control(private=True, max_age=900)
def calendar_feed(request, token):
    """The school calendar for calendar apps, which cannot log in: the secret address is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("school"), token=token)
    response = HttpResponse(calendar.feed(feed.school), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition("schoolkalender.ics", inline=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
