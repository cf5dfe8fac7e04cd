"""Bridge figures (issue #9, part 5): the care team shares a family with a bridge figure under the
parents' consent; the bridge figure follows one caseload across the schools they serve, with their
own home visits and accompaniments; the service's coordinator sees the workload as counts only.

Privacy rule 15: what the bridge figure writes stays with the bridge-figure service. The school
sees that it shared the family and whether that still holds, and, for contacts the parents agreed
to, that the contact took place and when the next step is. Rule 16: nothing here decides on
benefits; a bridge figure changes no referral, consent or eligibility.
"""

from datetime import date

from django.contrib import messages
from django.db.models import Count, F, Max, Min, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import member_view, tenant_view
from accounts.models import Membership
from accounts.roles import Capability, Role, TenantKind
from brugwijzer.disclosure import Sheet
from referrals.forms import BridgeShareForm, BridgeVisitForm
from referrals.models import AccessAction, BridgeEmployment, BridgeShare, BridgeVisit, DataItem, Family
from referrals.services import end_bridge_share, log_access, record_bridge_visit, share_with_bridge_figure
from schools.models import School

MONTHS_SHOWN = 6


# The school's side ------------------------------------------------------------------------------


def shares_for_school(family: Family) -> list[BridgeShare]:
    """The family's shares as the school sees them: with whom, since when, whether it still holds,
    and the agreed items only (that a contact took place, the next step's date). Three queries."""
    live = set(BridgeShare.objects.live().filter(family=family).values_list("pk", flat=True))
    agreed = BridgeVisit.objects.filter(shared_with_school=True).only(
        "id", "share_id", "kind", "on", "next_step_on", "shared_with_school"
    )
    shares = list(
        family.bridge_shares.select_related("bridge_figure", "service").prefetch_related(
            Prefetch("visits", queryset=agreed, to_attr="agreed_visits")
        )
    )
    for share in shares:
        share.is_live = share.pk in live
    return shares


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def share_family(request, access, family_id):
    school = access.tenant
    family = get_object_or_404(Family.objects.for_school(school), pk=family_id)
    form = BridgeShareForm(request.POST if request.method == "POST" else None, school=school, family=family)
    if request.method == "POST" and form.is_valid():
        share_with_bridge_figure(
            request=request,
            family=family,
            bridge_figure=form.cleaned_data["bridge_figure"],
            service=form.cleaned_data["service"],
            consent=form.cleaned_data["consent"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The family is shared with the bridge figure, for as long as the consent holds."))
        return redirect(family)
    return render(
        request,
        "referrals/bridge_share_form.html",
        {"access": access, "school": school, "family": family, "form": form},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
@require_POST
def end_share(request, access, family_id, share_id):
    family = get_object_or_404(Family.objects.for_school(access.tenant), pk=family_id)
    share = get_object_or_404(family.bridge_shares.open().select_related("family__school"), pk=share_id)
    end_bridge_share(request=request, share=share)
    messages.success(request, _("The bridge figure no longer sees this family."))
    return redirect(family)


# The bridge figure's side -----------------------------------------------------------------------


@member_view(Capability.FOLLOW_BRIDGE_CASELOAD)
def caseload(request):
    """One list across every school the bridge figure serves: only families shared under a consent
    that still holds. References only, so nothing is written to the access register."""
    today = timezone.localdate()
    shares = (
        BridgeShare.objects.caseload_of(request.user)
        .select_related("family__school", "service")
        .annotate(
            contacts=Count("visits"),
            last_contact=Max("visits__on"),
            next_step_on=Min("visits__next_step_on", filter=Q(visits__next_step_on__gte=today)),
        )
        .order_by(F("next_step_on").asc(nulls_last=True), "family__school__name", "family__reference", "id")
    )
    return render(request, "referrals/bridge_caseload.html", {"shares": shares, "today": today})


@member_view(Capability.FOLLOW_BRIDGE_CASELOAD)
def case(request, share_id):
    """One family of the caseload: what the consent lets the bridge figure see, and their own
    contacts with it. Another bridge figure, or a share whose consent lapsed, gets a 404."""
    share = get_object_or_404(
        BridgeShare.objects.caseload_of(request.user).select_related(
            "family__school", "family__language", "service", "consent", "shared_by"
        ),
        pk=share_id,
    )
    form = BridgeVisitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        record_bridge_visit(request=request, share=share, visit=form.save(commit=False))
        messages.success(request, _("The contact is recorded. It stays with your service."))
        return redirect(share)
    shows_contact = share.shows(DataItem.CONTACT_DETAILS)
    if shows_contact:
        log_access(request=request, family=share.family, action=AccessAction.VIEW)
    # Their own contacts with this family, under earlier shares too (a renewed consent).
    visits = BridgeVisit.objects.filter(share__family=share.family, share__bridge_figure=request.user)
    return render(
        request,
        "referrals/bridge_case.html",
        {
            "share": share,
            "family": share.family,
            "shows_contact": shows_contact,
            "needs": share.consent.needs.all() if share.shows(DataItem.NEED) else None,
            "note": share.note if share.shows(DataItem.NOTE) else "",
            "visits": visits,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# The service coordinator's side -----------------------------------------------------------------


def months_back(today: date, count: int) -> list[date]:
    """The first day of this month and the count - 1 before it, oldest first."""
    months, year, month = [], today.year, today.month
    for _step in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def workload_of(organisation) -> dict:
    """Families followed per school and per bridge figure, contacts per month: protected counts
    (brugwijzer.disclosure), so no number narrows down to a handful of families. Five queries."""
    today = timezone.localdate()
    employed = list(
        BridgeEmployment.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email", "id")
    )
    figures = list({e.user_id: e.user for e in employed}.values())
    school_ids = Membership.objects.active().filter(role=Role.BRIDGE_FIGURE, user__in=[f.pk for f in figures])
    schools = list(School.objects.filter(pk__in=school_ids.values("school_id")).order_by("name", "id"))
    live = BridgeShare.objects.live().filter(service=organisation, bridge_figure__in=[f.pk for f in figures])
    per_school = dict(live.values_list("family__school_id").annotate(n=Count("family", distinct=True)).order_by())
    per_figure = dict(live.values_list("bridge_figure_id").annotate(n=Count("id")).order_by())
    months = months_back(today, MONTHS_SHOWN)
    visits = (
        BridgeVisit.objects.filter(share__service=organisation, on__gte=months[0], on__lte=today)
        .annotate(month=TruncMonth("on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_month = {(m.year, m.month): n for m, n in visits}
    sheet = Sheet()
    sheet.add("schools", [per_school.get(s.pk, 0) for s in schools])
    sheet.add("figures", [per_figure.get(f.pk, 0) for f in figures])
    sheet.add("months", [per_month.get((m.year, m.month), 0) for m in months])
    if sum(per_school.values()) == sum(per_figure.values()):
        sheet.link(Sheet.total("schools"), Sheet.total("figures"))
    lines = sheet.solve()
    return {
        "k": sheet.k,
        "schools": list(zip(schools, lines["schools"].cells, strict=True)),
        "schools_total": lines["schools"].total,
        "figures": list(zip(figures, lines["figures"].cells, strict=True)),
        "figures_total": lines["figures"].total,
        "months": list(zip(months, lines["months"].cells, strict=True)),
        "months_total": lines["months"].total,
    }


@tenant_view(Capability.VIEW_BRIDGE_WORKLOAD, TenantKind.ORGANISATION)
def workload(request, access):
    return render(
        request,
        "referrals/bridge_workload.html",
        {"access": access, "organisation": access.tenant, "workload": workload_of(access.tenant)},
    )
