from django.urls import path

from referrals import bridge, consultations, handover, views

app_name = "referrals"
urlpatterns = [
    path("schools/<uuid:school_id>/signals/", views.signals, name="signals"),
    path("schools/<uuid:school_id>/signals/new/", views.new_signal, name="new_signal"),
    path("schools/<uuid:school_id>/signals/<uuid:signal_id>/", views.signal, name="signal"),
    path("schools/<uuid:school_id>/signals/<uuid:signal_id>/refer/", views.refer_signal, name="refer_signal"),
    path("schools/<uuid:school_id>/families/", views.families, name="families"),
    path("schools/<uuid:school_id>/families/new/", views.edit_family, name="new_family"),
    path("schools/<uuid:school_id>/families/<uuid:family_id>/", views.family, name="family"),
    path("schools/<uuid:school_id>/families/<uuid:family_id>/edit/", views.edit_family, name="edit_family"),
    path("schools/<uuid:school_id>/families/<uuid:family_id>/export/", views.family_export, name="family_export"),
    path("schools/<uuid:school_id>/families/<uuid:family_id>/erase/", views.erase, name="erase_family"),
    path("schools/<uuid:school_id>/families/<uuid:family_id>/consent/", views.new_consent, name="new_consent"),
    path(
        "schools/<uuid:school_id>/families/<uuid:family_id>/consent/print/", views.consent_sheet, name="consent_sheet"
    ),
    path(
        "schools/<uuid:school_id>/families/<uuid:family_id>/consent/<uuid:consent_id>/withdraw/",
        views.withdraw,
        name="withdraw_consent",
    ),
    path("schools/<uuid:school_id>/families/<uuid:family_id>/refer/", views.new_referral, name="new_referral"),
    path("schools/<uuid:school_id>/access/", views.access_register, name="access_register"),
    path("schools/<uuid:school_id>/access/log/", views.access_log, name="access_log"),
    path("schools/<uuid:school_id>/referrals/", views.referrals, name="referrals"),
    path("schools/<uuid:school_id>/referrals/<uuid:referral_id>/", views.referral, name="referral"),
    path("schools/<uuid:school_id>/referrals/<uuid:referral_id>/edit/", views.edit_referral, name="edit_referral"),
    path("followups/", views.followups, name="followups"),
    # Case consultations and mediation (referrals/consultations.py).
    path(
        "schools/<uuid:school_id>/families/<uuid:family_id>/consultations/new/",
        consultations.new_consultation,
        name="new_consultation",
    ),
    path(
        "schools/<uuid:school_id>/consultations/<uuid:consultation_id>/",
        consultations.consultation,
        name="consultation",
    ),
    path(
        "schools/<uuid:school_id>/consultations/<uuid:consultation_id>/edit/",
        consultations.edit_consultation,
        name="edit_consultation",
    ),
    path(
        "organisations/<uuid:organisation_id>/consultations/",
        consultations.joined_consultations,
        name="joined_consultations",
    ),
    path(
        "organisations/<uuid:organisation_id>/consultations/<uuid:consultation_id>/",
        consultations.joined_consultation,
        name="joined_consultation",
    ),
    # The receiving organisation's side.
    path("organisations/<uuid:organisation_id>/referrals/", views.incoming, name="incoming"),
    path(
        "organisations/<uuid:organisation_id>/referrals/<uuid:referral_id>/",
        views.incoming_referral,
        name="incoming_referral",
    ),
]

# Bridge figures (issue #9, part 5).
urlpatterns += [
    path("schools/<uuid:school_id>/families/<uuid:family_id>/bridge/", bridge.share_family, name="bridge_share"),
    path(
        "schools/<uuid:school_id>/families/<uuid:family_id>/bridge/<uuid:share_id>/end/",
        bridge.end_share,
        name="bridge_end_share",
    ),
    path("bridge/", bridge.caseload, name="bridge_caseload"),
    path("bridge/<uuid:share_id>/", bridge.case, name="bridge_case"),
    path("organisations/<uuid:organisation_id>/bridge/", bridge.workload, name="bridge_workload"),
]

# Changing school (issue #9, part 8).
urlpatterns += [
    path("schools/<uuid:school_id>/families/<uuid:family_id>/handover/", handover.new_handover, name="new_handover"),
    path("schools/<uuid:school_id>/handovers/", handover.handovers, name="handovers"),
    path("schools/<uuid:school_id>/handovers/<uuid:handover_id>/", handover.handover, name="handover"),
]
