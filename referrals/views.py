import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import accesses_with, member_view, tenant_view
from accounts.roles import Capability, TenantKind
from brugwijzer.downloads import content_disposition
from referrals import explanations
from referrals.bridge import shares_for_school
from referrals.filters import AccessLogFilter, SignalFilter
from referrals.forms import (
    AlertForm,
    ConsentForm,
    ConsentSheetForm,
    ErasureForm,
    FamilyForm,
    FollowUpForm,
    ReferralEditForm,
    ReferralForm,
    SignalForm,
)
from referrals.models import (
    FINAL,
    AccessAction,
    AccessLogEntry,
    Channel,
    ConsentMethod,
    DeclineReason,
    Family,
    Outcome,
    Referral,
    Signal,
    State,
)
from referrals.register import who_may_access
from referrals.services import (
    EditConflict,
    ErasureRefused,
    NotEditable,
    bump_version,
    create_referral,
    erase_family,
    erasure_blockers,
    log_access,
    record_consent,
    save_family,
    save_referral,
    save_signal,
)
from referrals.subject_access import everything_about
from referrals.workflow import (
    ORGANISATION,
    SCHOOL,
    AlertNotCovered,
    ConcernRouteOnly,
    ConsentMissing,
    NotAllowed,
    allowed_targets,
    covering_consent,
    disclosed,
    handle_alert,
    raise_alert,
    transition,
    withdraw_consent,
)
from schools.years import end_of_school_year, school_year_of
from welfare.models import FeedbackLevel, NeedCategory

PAGE_SIZE = 25
YEARS_SHOWN = 3


def _overview(school):
    """Signals counted per need and school year (the last three), and per channel this year."""
    counts = Signal.objects.for_school(school).values_list("need_id", "school_year").annotate(n=Count("id")).order_by()
    by_cell = {(need, year): n for need, year, n in counts}
    current = school_year_of(timezone.localdate())
    years = sorted({year for _need, year in by_cell} | {current})[-YEARS_SHOWN:]
    rows = [(need, [by_cell.get((need.pk, year), 0) for year in years]) for need in NeedCategory.objects.all()]
    channels = dict(
        Signal.objects.for_school(school)
        .filter(school_year=current)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "years": years,
        "rows": rows,
        "totals": [sum(row[1][i] for row in rows) for i in range(len(years))],
        "current_year": current,
        "channels": [(label, channels.get(value, 0)) for value, label in Channel.choices],
    }


@tenant_view(Capability.VIEW_SIGNAL_OVERVIEW, TenantKind.SCHOOL)
def signals(request, access):
    school = access.tenant
    overview = _overview(school)
    sees_all = access.can(Capability.VIEW_SIGNALS)
    visible = Signal.objects.for_school(school).for_list().with_support()
    if not sees_all:
        visible = visible.filter(reported_by=request.user)
    filterset = SignalFilter(request.GET or None, queryset=visible, school_years=reversed(overview["years"]))
    if filterset.is_bound and not filterset.is_valid():
        status, page = 400, None
    else:
        status, page = 200, Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/signals.html",
        {
            "access": access,
            "school": school,
            "overview": overview,
            "filter": filterset,
            "page": page,
            "sees_all": sees_all,
            "can_log": access.can(Capability.LOG_SIGNAL),
        },
        status=status,
    )


@tenant_view(Capability.LOG_SIGNAL, TenantKind.SCHOOL)
def new_signal(request, access):
    school = access.tenant
    form = SignalForm(request.POST if request.method == "POST" else None, school=school)
    if request.method == "POST" and form.is_valid():
        save_signal(request=request, signal=form.save(commit=False), school=school)
        messages.success(request, _("The signal is logged. Thank you."))
        if "another" in request.POST:
            return redirect("referrals:new_signal", school_id=school.public_id)
        return redirect("referrals:signals", school_id=school.public_id)
    return render(
        request,
        "referrals/signal_form.html",
        {"access": access, "school": school, "form": form},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.LOG_SIGNAL, TenantKind.SCHOOL)
def signal(request, access, signal_id):
    """One signal: the care team reads and corrects every signal, others only their own."""
    school = access.tenant
    found = get_object_or_404(Signal.objects.for_school(school).for_list(), pk=signal_id)
    if not access.can(Capability.VIEW_SIGNALS) and found.reported_by_id != request.user.pk:
        raise PermissionDenied
    form = SignalForm(request.POST if request.method == "POST" else None, instance=found, school=school)
    if request.method == "POST" and form.is_valid():
        save_signal(request=request, signal=form.save(commit=False))
        messages.success(request, _("The signal is saved."))
        return redirect("referrals:signals", school_id=school.public_id)
    can_refer = access.can(Capability.MANAGE_REFERRALS)
    return render(
        request,
        "referrals/signal_form.html",
        {
            "access": access,
            "school": school,
            "form": form,
            "signal": found,
            "families": Family.objects.for_school(school) if can_refer else None,
        },
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def refer_signal(request, access, signal_id):
    """From a signal to a referral: pick the family (or make its record first)."""
    school = access.tenant
    found = get_object_or_404(Signal.objects.for_school(school), pk=signal_id)
    try:
        family_id = uuid.UUID(request.GET.get("family", ""))
    except ValueError:
        messages.error(request, _("Choose the family this signal is about, or make its record first."))
        return redirect(found)
    family = get_object_or_404(Family.objects.for_school(school), pk=family_id)
    target = reverse("referrals:new_referral", kwargs={"school_id": school.public_id, "family_id": family.pk})
    return redirect(f"{target}?signal={found.pk}")


@tenant_view(Capability.VIEW_FAMILIES, TenantKind.SCHOOL)
def families(request, access):
    """References only: no names or contact details here, so no access is logged."""
    school = access.tenant
    return render(
        request,
        "referrals/families.html",
        {
            "access": access,
            "school": school,
            "families": Family.objects.for_school(school).select_related("language"),
            "can_see_register": access.can(Capability.VIEW_ACCESS_REGISTER),
        },
    )


@tenant_view(Capability.VIEW_FAMILIES, TenantKind.SCHOOL)
def family(request, access, family_id):
    school = access.tenant
    found = get_object_or_404(Family.objects.for_school(school).select_related("language", "erasure"), pk=family_id)
    log_access(request=request, family=found, action=AccessAction.VIEW)
    return render(
        request,
        "referrals/family.html",
        {
            "access": access,
            "school": school,
            "family": found,
            "consents": found.consents.prefetch_related("organisations", "needs"),
            "referrals": found.referrals.for_list(),
            "consultations": found.consultations.all(),
            "can_refer": access.can(Capability.MANAGE_REFERRALS),
            "can_export": access.can(Capability.EXPORT_FAMILY),
            "can_erase": access.can(Capability.ERASE_FAMILY),
            "methods": ConsentMethod.choices,
            "bridge_shares": shares_for_school(found) if access.can(Capability.MANAGE_REFERRALS) else [],
        },
    )


@tenant_view(Capability.VIEW_FAMILIES, TenantKind.SCHOOL)
def edit_family(request, access, family_id=None):
    school = access.tenant
    instance = (
        get_object_or_404(Family.objects.for_school(school), pk=family_id) if family_id else Family(school=school)
    )
    new = instance._state.adding
    form = FamilyForm(request.POST if request.method == "POST" else None, instance=instance, school=school)
    status, conflict = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save_family(
                    request=request,
                    family=form.save(commit=False),
                    school=school,
                    submitted_version=form.cleaned_data.get("version"),
                )
            except EditConflict as clash:
                # Show what is stored now; nothing the other person saved is overwritten.
                form = FamilyForm(instance=clash.current, school=school)
                status, conflict = 409, True
            else:
                messages.success(request, _("The family record is saved."))
                return redirect(saved)
        else:
            status = 400
    if not new:
        log_access(request=request, family=instance, action=AccessAction.VIEW)
    return render(
        request,
        "referrals/family_form.html",
        {"access": access, "school": school, "form": form, "family": None if new else instance, "conflict": conflict},
        status=status,
    )


@tenant_view(Capability.EXPORT_FAMILY, TenantKind.SCHOOL)
def family_export(request, access, family_id):
    """The parents' right of access: a readable page, or the same as JSON with ?format=json.
    The export itself is written to the access register."""
    found = get_object_or_404(
        Family.objects.for_school(access.tenant).select_related("language", "school"), pk=family_id
    )
    log_access(request=request, family=found, action=AccessAction.EXPORT)
    held = everything_about(found)
    if request.GET.get("format") == "json":
        response = JsonResponse(held, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = content_disposition(f"gezin-{found.reference}.json")
        return response
    return render(request, "referrals/family_export.html", {"access": access, "family": found, "held": held})


@tenant_view(Capability.ERASE_FAMILY, TenantKind.SCHOOL)
def erase(request, access, family_id):
    """Erase a family's personal details everywhere (GDPR art. 17), after the reference is typed again.
    Refused while one of its referrals is still open."""
    school = access.tenant
    found = get_object_or_404(Family.objects.for_school(school).select_related("erasure"), pk=family_id)
    if hasattr(found, "erasure"):
        messages.info(request, _("This family's personal details are already erased."))
        return redirect(found)
    blockers = list(erasure_blockers(found))
    form = ErasureForm(request.POST if request.method == "POST" else None, family=found)
    status = 200
    if request.method == "POST":
        if blockers:
            status = 409
        elif form.is_valid():
            try:
                erase_family(request=request, family=found, reason=form.cleaned_data["reason"])
            except ErasureRefused:
                blockers, status = list(erasure_blockers(found)), 409
            else:
                messages.success(
                    request,
                    _(
                        "The family's personal details are erased everywhere. Its referrals still count in "
                        "the statistics, without anything that names the family."
                    ),
                )
                return redirect("referrals:families", school_id=school.public_id)
        else:
            status = 400
    return render(
        request,
        "referrals/family_erase.html",
        {"access": access, "school": school, "family": found, "form": form, "blockers": blockers},
        status=status,
    )


@tenant_view(Capability.VIEW_ACCESS_REGISTER, TenantKind.SCHOOL)
def access_register(request, access):
    """Who may open family data at this school, by function, and whether they log in with an app."""
    school = access.tenant
    return render(
        request,
        "referrals/access_register.html",
        {"access": access, "school": school, "holders": who_may_access(school)},
    )


@tenant_view(Capability.VIEW_ACCESS_REGISTER, TenantKind.SCHOOL)
def access_log(request, access):
    """Who opened, changed or exported which family's record, and when: the school's own entries."""
    school = access.tenant
    entries = AccessLogEntry.objects.for_school(school).for_list()
    filterset = AccessLogFilter(request.GET or None, queryset=entries, school=school)
    if filterset.is_bound and not filterset.is_valid():
        status, page = 400, None
    else:
        status, page = 200, Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/access_log.html",
        {"access": access, "school": school, "filter": filterset, "page": page},
        status=status,
    )


# Consent and referrals, the school's side --------------------------------------------------


def _family_of(school, family_id):
    return get_object_or_404(Family.objects.for_school(school), pk=family_id)


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def new_consent(request, access, family_id):
    school = access.tenant
    family = _family_of(school, family_id)
    form = ConsentForm(request.POST if request.method == "POST" else None, school=school)
    if request.method == "POST" and form.is_valid():
        record_consent(request=request, family=family, form=form)
        messages.success(request, _("The consent is recorded."))
        return redirect(family)
    return render(
        request,
        "referrals/consent_form.html",
        {"access": access, "school": school, "family": family, "form": form},
        status=400 if form.errors else 200,
    )


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def consent_sheet(request, access, family_id):
    """The explanation and the form to print, in the parents' language. Only the school's reference
    for the family is on it; the parents fill in their names themselves."""
    school = access.tenant
    family = _family_of(school, family_id)
    form = ConsentSheetForm(request.GET or None, school=school)
    sheet, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        chosen = form.cleaned_data if form.is_bound else {"language": "nl-be", "organisation": [], "need": []}
        code = chosen["language"]
        with translation.override(explanations.INTERFACE_LANGUAGE.get(code, settings.LANGUAGE_CODE)):
            sheet = render_to_string(
                explanations.template_name(code),
                {
                    "school": school,
                    "family": family,
                    "organisations": chosen["organisation"],
                    "needs": chosen["need"],
                    "valid_until": end_of_school_year(timezone.localdate()),
                    "retention_months": settings.BRUGWIJZER_RETENTION_MONTHS,
                    "version": explanations.EXPLANATION_VERSION,
                },
            )
    return render(
        request,
        "referrals/consent_sheet.html",
        {"access": access, "school": school, "family": family, "form": form, "sheet": sheet},
        status=status,
    )


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
@require_POST
def withdraw(request, access, family_id, consent_id):
    family = _family_of(access.tenant, family_id)
    consent = get_object_or_404(family.consents.active(), pk=consent_id)
    method = request.POST.get("method", "")
    if method not in ConsentMethod.values:
        messages.error(request, _("Say how the parents withdrew their consent."))
        return redirect(family)
    stopped = withdraw_consent(request=request, consent=consent, method=method)
    if stopped:
        told = ngettext(
            "The consent is withdrawn. Nothing more is shared; %(count)s referral stopped and its "
            "organisation was told.",
            "The consent is withdrawn. Nothing more is shared; %(count)s referrals stopped and their "
            "organisations were told.",
            len(stopped),
        ) % {"count": len(stopped)}
    else:
        told = _("The consent is withdrawn. Nothing more is shared.")
    messages.success(request, told)
    return redirect(family)


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def referrals(request, access):
    school = access.tenant
    items = Referral.objects.for_school(school).for_list()
    return render(request, "referrals/referrals.html", {"access": access, "school": school, "referrals": items})


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def new_referral(request, access, family_id):
    school = access.tenant
    family = _family_of(school, family_id)
    signal_found = None
    if signal_id := request.GET.get("signal") or request.POST.get("signal"):
        try:
            signal_found = Signal.objects.for_school(school).filter(pk=uuid.UUID(signal_id)).first()
        except ValueError:
            signal_found = None
    initial = {"reference_person": request.user}
    if signal_found:
        initial |= {"need": signal_found.need, "organisation": signal_found.organisation}
    form = ReferralForm(request.POST if request.method == "POST" else None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        referral = create_referral(request=request, school=school, family=family, signal=signal_found, form=form)
        messages.success(request, _("The referral is saved as a draft. Send it once the parents agreed."))
        return redirect(referral)
    return render(
        request,
        "referrals/referral_form.html",
        {"access": access, "school": school, "family": family, "form": form, "signal": signal_found},
        status=400 if form.errors else 200,
    )


def _asks_outcome(referral, side) -> bool:
    """The school records the parents' check-in; the organisation only if it tells schools outcomes."""
    return side == SCHOOL or referral.organisation.feedback_level == FeedbackLevel.OUTCOME


def _apply(request, referral, side):
    """A state change asked for from a referral page; returns an error message or None."""
    try:
        target = State(request.POST.get("to", ""))
    except ValueError:
        return _("Choose one of the steps offered.")
    changes = {}
    if target == State.DECLINED:
        reason = request.POST.get("decline_reason", "")
        if reason not in DeclineReason.values:
            return _("Say why the organisation declines.")
        changes["decline_reason"] = reason
    if target == State.CLOSED and _asks_outcome(referral, side):
        outcome = request.POST.get("outcome", "")
        if outcome not in Outcome.values:
            return _("Say what came of it.")
        changes["outcome"] = outcome
    try:
        transition(request=request, referral=referral, to=target, side=side, **changes)
    except NotAllowed:
        return _("That step is not possible from here.")
    except ConcernRouteOnly:
        return _(
            "A safety concern can only be sent without consent to the CLB, with a legal ground and a written reason."
        )
    except ConsentMissing:
        return _(
            "No active consent of the parents covers this organisation and need. Record their consent first: "
            "nothing is sent without it."
        )
    return None


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def referral(request, access, referral_id):
    school = access.tenant
    found = get_object_or_404(Referral.objects.for_school(school).for_list(), pk=referral_id)
    if request.method == "POST" and "alert" in request.POST:
        alert = found.alerts.filter(handled_at__isnull=True, pk=_int(request.POST["alert"])).first()
        if alert is None:
            messages.error(request, _("This alert is already handled."))
        else:
            handle_alert(request=request, alert=alert)
            messages.success(request, _("The alert is marked as handled."))
        return redirect(found)
    if request.method == "POST" and "check_in" in request.POST:
        outcome = request.POST.get("outcome", "")
        if found.state != State.CLOSED or found.outcome:
            messages.error(request, _("The check-in can be recorded once, after the referral is closed."))
        elif outcome not in Outcome.values:
            messages.error(request, _("Say what came of it."))
        else:
            bump_version(found, outcome=outcome)
            messages.success(request, _("The parents' check-in is recorded."))
        return redirect(found)
    if request.method == "POST" and "follow_up" in request.POST:
        form = FollowUpForm(request.POST)
        if form.is_valid() and found.state not in FINAL:
            bump_version(found, next_follow_up=form.cleaned_data["next_follow_up"])
            messages.success(request, _("The next follow-up is planned."))
        else:
            messages.error(request, _("Choose a date from today on for an open referral."))
        return redirect(found)
    if request.method == "POST":
        error = _apply(request, found, SCHOOL)
        if error:
            messages.error(request, error)
        return redirect(found)
    return render(
        request,
        "referrals/referral.html",
        {
            "access": access,
            "school": school,
            "referral": found,
            "events": found.events.select_related("by"),
            "targets": allowed_targets(found, SCHOOL),
            "decline_reasons": DeclineReason.choices,
            "outcomes": Outcome.choices,
            "asks_outcome": True,
            "final_states": FINAL,
            "alerts": found.alerts.select_related("raised_by", "handled_by"),
            "shows_organisation_outcome": found.organisation.feedback_level == FeedbackLevel.OUTCOME,
            "consent": covering_consent(found)
            if found.state in (State.DRAFT, State.AWAITING_CONSENT)
            else found.consent,
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@tenant_view(Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)
def edit_referral(request, access, referral_id):
    school = access.tenant
    found = get_object_or_404(Referral.objects.for_school(school).open().for_list(), pk=referral_id)
    form = ReferralEditForm(request.POST if request.method == "POST" else None, instance=found, school=school)
    status, conflict = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                save_referral(
                    request=request,
                    referral=form.save(commit=False),
                    submitted_version=form.cleaned_data["version"],
                    changed=form.changed_data,
                )
            except NotEditable:
                messages.error(request, _("The referral has ended in the meantime: it no longer changes."))
                return redirect(found)
            except EditConflict as clash:
                # Show what is stored now; nothing the other person saved is overwritten.
                form = ReferralEditForm(instance=clash.current, school=school)
                status, conflict = 409, True
            else:
                messages.success(request, _("The referral is saved."))
                return redirect(found)
        else:
            status = 400
    return render(
        request,
        "referrals/referral_edit.html",
        {"access": access, "school": school, "referral": found, "form": form, "conflict": conflict},
        status=status,
    )


# The receiving organisation's side ------------------------------------------------------------


@tenant_view(Capability.ANSWER_REFERRALS, TenantKind.ORGANISATION)
def incoming(request, access):
    items = list(
        Referral.objects.for_organisation(access.tenant)
        .for_list()
        .select_related("consent")
        .prefetch_related("consent__organisations", "consent__needs")
    )
    for item in items:
        # The need shows only where the parents' consent (still) covers it, as on the referral itself.
        item.shown_need = disclosed(item)["need"]
    return render(
        request, "referrals/incoming.html", {"access": access, "organisation": access.tenant, "referrals": items}
    )


@tenant_view(Capability.ANSWER_REFERRALS, TenantKind.ORGANISATION)
def incoming_referral(request, access, referral_id):
    found = get_object_or_404(
        Referral.objects.for_organisation(access.tenant).for_list().select_related("consent"), pk=referral_id
    )
    alert_form = AlertForm(request.POST if "kind" in request.POST else None)
    if request.method == "POST" and alert_form.is_bound:
        if alert_form.is_valid():
            try:
                raise_alert(request=request, referral=found, **alert_form.cleaned_data)
            except AlertNotCovered:
                messages.error(request, _("The parents' consent does not cover alerts to the school."))
            else:
                messages.success(request, _("The school is alerted. It sees the alert, not the case."))
            return redirect(found.get_incoming_url())
    elif request.method == "POST":
        error = _apply(request, found, ORGANISATION)
        if error:
            messages.error(request, error)
        return redirect(found.get_incoming_url())
    shown = disclosed(found)
    if shown["contact"]:
        log_access(request=request, family=found.family, action=AccessAction.VIEW)
    return render(
        request,
        "referrals/incoming_referral.html",
        {
            "access": access,
            "organisation": access.tenant,
            "referral": found,
            "shown": shown,
            "targets": allowed_targets(found, ORGANISATION),
            "decline_reasons": DeclineReason.choices,
            "outcomes": Outcome.choices,
            "asks_outcome": _asks_outcome(found, ORGANISATION),
            "alert_form": alert_form,
            "alerts": found.alerts.all(),
        },
        status=400 if alert_form.errors else 200,
    )


@member_view(Capability.MANAGE_REFERRALS)
def followups(request):
    """Mijn opvolgingen: the open referrals this person is the reference person for."""
    schools = [a.tenant for a in accesses_with(request, Capability.MANAGE_REFERRALS, TenantKind.SCHOOL)]
    mine = Referral.objects.open().filter(reference_person=request.user, school__in=schools).for_list()
    today = timezone.localdate()
    groups = {"overdue": [], "today": [], "later": [], "undated": []}
    for item in mine.order_by("next_follow_up", "created_at"):
        day = item.next_follow_up
        key = "undated" if day is None else "overdue" if day < today else "today" if day == today else "later"
        groups[key].append(item)
    return render(request, "referrals/followups.html", {"groups": groups, "today": today})
