from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import tenant_view
from accounts.models import Membership
from accounts.roles import Capability, TenantKind
from audit import services as audit
from audit.models import Action
from brugwijzer.db import replica_reads
from brugwijzer.spreadsheets import csv_response, xlsx_response
from network import charts, services, stats
from network.forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    DecideSignalForm,
    DecisionForm,
    EngagementForm,
    ItemStatusForm,
    MeetingForm,
    MinutesForm,
    NetworkForm,
    PolicySignalForm,
    PutOnAgendaForm,
)
from network.models import (
    OPEN_ACTION,
    ActionStatus,
    EngagementDeclaration,
    ItemStatus,
    Meeting,
    Network,
    NetworkAction,
    PolicySignal,
)
from network.stats import Scope
from places.models import Region
from schools.years import school_year_of
from welfare.models import CorrectionSuggestion, WelfareOrganisation


def _curation(municipality):
    """What the municipality's curators should look at in the directory."""
    organisations = WelfareOrganisation.objects.serving(municipality)
    return {
        "curator": True,
        "stale_organisations": organisations.stale().order_by("name", "id"),
        "pending_suggestions": CorrectionSuggestion.objects.pending()
        .filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "created_at"),
    }


@tenant_view(Capability.VIEW_HOME, TenantKind.MUNICIPALITY)
def home(request, access):
    municipality = access.tenant
    return render(
        request,
        "network/home.html",
        {
            "access": access,
            "municipality": municipality,
            "schools": municipality.schools.order_by("name", "id"),
            "organisations": municipality.welfare_organisations.select_related("organisation_type").order_by(
                "name", "id"
            ),
            "team": Membership.objects.active().for_tenant(municipality).role_counts(),
            "can_manage_team": access.can(Capability.MANAGE_TEAM),
            **(_curation(municipality) if access.can(Capability.CURATE_DIRECTORY) else {}),
        },
    )


def _scope(municipality, region_id=None) -> Scope:
    """The municipality itself, or a region it belongs to (any other region: 404)."""
    if region_id is None:
        return Scope(name=municipality.name, municipalities=[municipality])
    region = get_object_or_404(Region.objects.filter(municipalities=municipality), public_id=region_id)
    return Scope(name=region.name, municipalities=list(region.municipalities.all()), region=region)


@tenant_view(Capability.VIEW_DASHBOARD, TenantKind.MUNICIPALITY)
@replica_reads
def dashboard(request, access, region_id=None):
    municipality = access.tenant
    scope = _scope(municipality, region_id)
    board = stats.published(scope)
    return render(
        request,
        "network/dashboard.html",
        {
            "access": access,
            "municipality": municipality,
            "board": board,
            "regions": municipality.regions.all(),
            "charts": {t.slug: charts.bars(t) for tables in board.sections.values() for t in tables if t.chart},
        },
    )


@tenant_view(Capability.VIEW_DASHBOARD, TenantKind.MUNICIPALITY)
@replica_reads
def export(request, access, slug, fmt, region_id=None):
    scope = _scope(access.tenant, region_id)
    # The whole dashboard, not just this table: tables share numbers, and only the sheet over all
    # of them decides which cells stay hidden, so a download shows what the page shows.
    board = stats.published(scope)
    table = board.table(slug)
    if table is None:
        raise Http404
    rows = charts.export_rows(table, board.counted_until)
    filename = f"brugwijzer-{slugify(scope.name)}-{slug}"
    audit.record(action=Action.DASHBOARD_EXPORTED, request=request, tenant=access.tenant, table=slug, format=fmt)
    if fmt == "xlsx":
        return xlsx_response(filename, table.title, rows)
    return csv_response(filename, rows)


# Networks and meetings: only the municipality's own officials, and only its own records.


def _network(municipality, network_id):
    return get_object_or_404(
        Network.objects.select_related("coordinator"), municipality=municipality, public_id=network_id
    )


def _meeting(municipality, meeting_id):
    return get_object_or_404(
        Meeting.objects.select_related("network__municipality", "network__coordinator"),
        network__municipality=municipality,
        public_id=meeting_id,
    )


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
def networks(request, access):
    municipality = access.tenant
    form = NetworkForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        network = form.save(commit=False)
        network.municipality = municipality
        network.save()
        form.save_m2m()
        messages.success(request, _("The network was created."))
        return redirect(network)
    return render(
        request,
        "network/networks.html",
        {
            "municipality": municipality,
            "networks": municipality.networks.select_related("coordinator")
            .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN_ACTION)))
            .order_by("name", "id"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
def network(request, access, network_id):
    municipality = access.tenant
    found = _network(municipality, network_id)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.network = found
        meeting.save()
        messages.success(request, _("The meeting was planned. Its agenda already lists the open actions."))
        return redirect(meeting)
    return render(
        request,
        "network/network.html",
        {
            "municipality": municipality,
            "network": found,
            "schools": found.schools.order_by("name"),
            "organisations": found.organisations.order_by("name"),
            "meetings": found.meetings.order_by("-held_on", "-id"),
            "actions": found.actions.open()
            .select_related("owner_organisation", "owner_school")
            .order_by("due_on", "id"),
            "today": timezone.localdate(),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
def meeting(request, access, meeting_id):
    municipality = access.tenant
    found = _meeting(municipality, meeting_id)
    network_ = found.network
    forms_ = {
        "item": AgendaItemForm(network=network_, prefix="item"),
        "action": ActionForm(network=network_, prefix="action"),
        "minutes": MinutesForm(instance=found, prefix="minutes"),
    }
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "item":
            form = forms_["item"] = AgendaItemForm(request.POST, network=network_, prefix="item")
            if form.is_valid():
                item = form.save(commit=False)
                item.meeting = found
                item.position = found.items.count() + 1
                item.save()
                messages.success(request, _("The item was added to the agenda."))
                return redirect(found)
        elif which == "action":
            form = forms_["action"] = ActionForm(request.POST, network=network_, prefix="action")
            if form.is_valid():
                action = form.save(commit=False)
                action.network, action.decided_at = network_, found
                action.save()
                messages.success(
                    request, _("The action was recorded. It stays on every next agenda until it is closed.")
                )
                return redirect(found)
        elif which == "minutes":
            form = forms_["minutes"] = MinutesForm(request.POST, instance=found, prefix="minutes")
            if form.is_valid():
                form.save()
                messages.success(request, _("The minutes were saved."))
                return redirect(found)
        elif which == "decision":
            item = get_object_or_404(found.items, pk=_int(request.POST.get("item")))
            form = DecisionForm(request.POST, instance=item)
            if form.is_valid():
                form.save()
                messages.success(request, _("The decision was saved."))
                return redirect(found)
            messages.error(
                request, _("The decision could not be saved: %(errors)s") % {"errors": form.errors.as_text()}
            )
        elif which in {"agenda", "minutes_mail"}:
            count = services.send(request=request, meeting=found, what="agenda" if which == "agenda" else "minutes")
            messages.success(request, _("Sent to %(count)s members.") % {"count": count})
            return redirect(found)
        else:
            return HttpResponseBadRequest(_("Unknown form."))
        status = 400
    return render(
        request,
        "network/meeting.html",
        {
            "municipality": municipality,
            "meeting": found,
            "network": network_,
            **services.agenda(found),
            "forms": forms_,
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
@require_POST
def action_status(request, access, action_id):
    action = get_object_or_404(NetworkAction, network__municipality=access.tenant, pk=action_id)
    form = ActionStatusForm(request.POST, instance=action)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose one of the statuses."))
    services.set_status(action, form.cleaned_data["status"])
    messages.success(request, _("The action's status was saved."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(action.network)


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
def signals(request, access):
    municipality = access.tenant
    initial = {"need": request.GET.get("need"), "kind": request.GET.get("kind")}
    form = PolicySignalForm(request.POST or None, initial=initial, prefix="signal")
    if request.method == "POST" and form.is_valid():
        signal = form.save(commit=False)
        signal.municipality = municipality
        signal.proposed_by = request.user
        signal.school_year = school_year_of(timezone.localdate())
        signal.save()
        messages.success(request, _("The signal was proposed. Put it on a network's agenda to discuss it."))
        return redirect("network:signals", municipality_id=municipality.public_id)
    upcoming = Meeting.objects.filter(network__municipality=municipality, held_on__gte=timezone.localdate())
    return render(
        request,
        "network/signals.html",
        {
            "municipality": municipality,
            "signals": municipality.policy_signals.select_related("need").prefetch_related(
                "agenda_items__meeting__network"
            ),
            "form": form,
            "meetings": upcoming.select_related("network").order_by("held_on", "id"),
        },
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
@require_POST
def signal_agenda(request, access, signal_id):
    municipality = access.tenant
    signal = get_object_or_404(PolicySignal, municipality=municipality, public_id=signal_id)
    form = PutOnAgendaForm(
        request.POST,
        meetings=Meeting.objects.filter(network__municipality=municipality, held_on__gte=timezone.localdate()),
    )
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a coming meeting of one of your networks."))
    services.put_on_agenda(signal=signal, meeting=form.cleaned_data["meeting"])
    messages.success(request, _("The signal is on the agenda."))
    return redirect(form.cleaned_data["meeting"])


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
def signal_decide(request, access, signal_id):
    municipality = access.tenant
    signal = get_object_or_404(
        PolicySignal.objects.select_related("need"), municipality=municipality, public_id=signal_id
    )
    form = DecideSignalForm(request.POST or None, instance=signal)
    if request.method == "POST" and form.is_valid():
        services.decide(request=request, signal=form.save(commit=False))
        messages.success(request, _("What policy did with the signal was recorded."))
        return redirect("network:signals", municipality_id=municipality.public_id)
    return render(
        request,
        "network/signal_decide.html",
        {"municipality": municipality, "signal": signal, "form": form},
        status=400 if form.errors else 200,
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
def engagements(request, access):
    municipality = access.tenant
    school_year = school_year_of(timezone.localdate())
    form = EngagementForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        declaration = form.save(commit=False)
        taken = EngagementDeclaration.objects.filter(
            school=declaration.school, school_year=school_year, partner=declaration.partner
        )
        if taken.exists():
            form.add_error(
                "school",
                _("This school already has a declaration for %(year)s with this partner.") % {"year": school_year},
            )
        else:
            services.create_engagement(
                declaration=declaration,
                municipality=municipality,
                school_year=school_year,
                commitments=form.cleaned_data["commitments"],
                user=request.user,
            )
            messages.success(request, _("The engagement declaration is recorded."))
            return redirect(declaration)
    declarations = (
        EngagementDeclaration.objects.filter(municipality=municipality)
        .select_related("school", "partner")
        .annotate(
            commitments=Count("items"),
            met=Count("items", filter=Q(items__status=ItemStatus.MET)),
        )
        .order_by("-school_year", "school__name", "id")
    )
    return render(
        request,
        "network/engagements.html",
        {"municipality": municipality, "declarations": declarations, "form": form, "school_year": school_year},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.RUN_NETWORK, TenantKind.MUNICIPALITY)
def engagement(request, access, engagement_id):
    municipality = access.tenant
    declaration = get_object_or_404(
        EngagementDeclaration.objects.select_related("school", "partner"),
        municipality=municipality,
        public_id=engagement_id,
    )
    if request.method == "POST":
        item = get_object_or_404(declaration.items, pk=_int(request.POST.get("item")))
        form = ItemStatusForm(request.POST, instance=item)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose one of the statuses."))
        form.save()
        messages.success(request, _("The commitment's status was saved."))
        return redirect(declaration)
    return render(
        request,
        "network/engagement.html",
        {
            "municipality": municipality,
            "declaration": declaration,
            "items": declaration.items.all(),
            "statuses": ItemStatus.choices,
        },
    )
