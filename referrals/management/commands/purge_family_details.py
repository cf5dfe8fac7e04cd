"""Remove the personal details of families the school no longer works with.

A family's names, phone, email, child's name and class, the short notes and handover details of
its referrals and the names in its consent records are cleared when all its referrals ended more
than BRUGWIJZER_RETENTION_MONTHS ago (or it never had one and did not change for that long).
The pseudonymous reference, states, dates and needs stay: the statistics survive. Families
already purged are skipped, so running it again changes nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from referrals.models import FINAL, Family, Referral
from referrals.services import remove_personal_details


class Command(BaseCommand):
    help = "Remove personal details of families whose referrals ended longer ago than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Override BRUGWIJZER_RETENTION_MONTHS.")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, months=None, dry_run=False, **options):
        months = settings.BRUGWIJZER_RETENTION_MONTHS if months is None else months
        cutoff = timezone.now() - timedelta(days=round(months * 30.44))
        still_open = Referral.objects.filter(family=OuterRef("pk")).exclude(state__in=list(FINAL))
        expired = (
            Family.objects.filter(details_removed_on__isnull=True)
            .annotate(last_referral=Max("referrals__updated_at"), open=Exists(still_open))
            .filter(open=False)
            .filter(Q(last_referral__lt=cutoff) | Q(last_referral__isnull=True, updated_at__lt=cutoff))
        )
        families = list(expired)
        if not dry_run:
            with transaction.atomic():
                for family in families:
                    remove_personal_details(family)
        verb = "would be" if dry_run else "were"
        whose = "family's" if len(families) == 1 else "families'"
        self.stdout.write(f"{len(families)} {whose} personal details {verb} removed.")
