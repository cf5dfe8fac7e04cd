from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import tenant_view
from accounts.models import Membership
from accounts.roles import Capability, TenantKind
from reflection.models import ActionPoint
from schools import kaart
from schools.forms import CollaborationForm, FocusNeedsForm, MapFilterForm, QuickRelationForm, RelationForm
from schools.models import PartnerRelation, RelationStatus
from schools.services import save_relation
from welfare.models import Service, WelfareOrganisation

# Statuses that count as "the school knows someone for this need".
KNOWN = (RelationStatus.CLOSE, RelationStatus.NONE_YET)
SUGGESTIONS_PER_NEED = 3


@tenant_view(Capability.VIEW_HOME, TenantKind.SCHOOL)
def home(request, access):
    school = access.tenant
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
            "today": timezone.localdate(),
        },
    )


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
