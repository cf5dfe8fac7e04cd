"""Demo data for case consultations: one planned care meeting at De Zeppelin with the CAW worker."""

from datetime import time, timedelta

from django.utils import timezone

from accounts.models import User
from referrals.models import CaseMeetingType, Consultation, ConsultationAgreement, ConsultationParticipant, Family


def seed_consultations(*, school, organisations) -> None:
    """A care meeting about family ZEP-2026-02 (whose consent names the CAW), next week."""
    if Consultation.objects.filter(school=school).exists():
        return
    family = Family.objects.filter(school=school, reference="ZEP-2026-02").first()
    caw = organisations["CAW Brugwaarde-Kanaalhoek"]
    consent = family and family.consents.active().filter(organisations=caw).first()
    if consent is None:
        return
    coordinator = User.objects.get(email="zorg@zeppelin.example")
    worker = User.objects.get(email="welzijn@caw-brugwaarde.example")
    meeting = Consultation.objects.create(
        school=school,
        family=family,
        kind=CaseMeetingType.CARE_MEETING,
        held_on=timezone.localdate() + timedelta(days=6),
        starts_at=time(15, 45),
        place="Zorglokaal, eerste verdieping",
        parents_present=True,
        notes="Fictief voorbeeld: moeder vertelde dat de opvoeding haar zwaar valt sinds de verhuis.",
        organised_by=coordinator,
    )
    caw_worker = ConsultationParticipant.objects.create(
        consultation=meeting, organisation=caw, worker=worker, role="Maatschappelijk werker", consent=consent
    )
    own = ConsultationParticipant.objects.create(consultation=meeting, worker=coordinator, role="Zorgcoördinator")
    ConsultationParticipant.objects.create(consultation=meeting, role="Klasleerkracht 4B")
    ConsultationAgreement.objects.create(
        consultation=meeting,
        what="Een eerste gesprek bij het CAW inplannen met moeder",
        owner=caw_worker,
        due_on=meeting.held_on + timedelta(days=14),
    )
    ConsultationAgreement.objects.create(
        consultation=meeting,
        what="De klasleerkracht houdt het huiswerk een maand mee in het oog",
        owner=own,
        due_on=meeting.held_on + timedelta(days=30),
    )
