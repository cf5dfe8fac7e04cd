"""Nightly: publish every municipality's and region's dashboard, in every language of the app.

Run it once a night, after the day's work and before officials start, for instance
    0 4 * * *  cd /srv/brugwijzer && .venv/bin/python manage.py build_dashboards
The pages then show these figures all day (network.stats.published). Give NIS codes to publish
only those municipalities (and the regions they belong to).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from network import stats
from places.models import Municipality, Region


class Command(BaseCommand):
    help = "Publish the municipal and regional dashboards (counts only, protected as on the page)."

    def add_arguments(self, parser):
        parser.add_argument("nis_codes", nargs="*", help="only these municipalities (default: all)")

    def handle(self, *args, nis_codes, verbosity, **options):
        started = time.monotonic()
        municipalities = Municipality.objects.order_by("nis_code")
        regions = Region.objects.prefetch_related("municipalities").order_by("name", "id")
        if nis_codes:
            municipalities = municipalities.filter(nis_code__in=nis_codes)
            regions = regions.filter(municipalities__nis_code__in=nis_codes).distinct()
        scopes = [stats.Scope(name=m.name, municipalities=[m]) for m in municipalities]
        scopes += [
            stats.Scope(name=r.name, municipalities=list(r.municipalities.order_by("name")), region=r) for r in regions
        ]
        for scope in scopes:
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    stats.publish(scope)
        if verbosity:
            self.stdout.write(
                f"Published {len(scopes)} dashboard(s) in {len(settings.LANGUAGES)} language(s) "
                f"in {time.monotonic() - started:.1f} s."
            )
