"""Print the current authenticator code of a demo account, so the demo can be tried without a phone."""

import time
from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import UserManager
from demo.management.commands.seed_demo import ADMIN, USERS, demo_totp_key


class Command(BaseCommand):
    help = "Print the six-digit code of a demo account's authenticator app (demo mode only, DEBUG=true)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="a demo account, e.g. zorg@zeppelin.example")

    def handle(self, *args, email, **options):
        # Only on a developer's machine, and only for the demo's own accounts with the demo's own
        # secret: this never prints a code for a real person, nor for a demo account whose app was
        # replaced in the demo.
        if not settings.DEBUG:
            raise CommandError(
                "demo_code only runs in demo mode (DEBUG=true): production codes stay on people's phones."
            )
        email = UserManager.normalise_email(email)
        demo_emails = {address for address, _name, _roles in USERS} | {ADMIN[0]}
        if email not in demo_emails:
            raise CommandError(f"{email} is not a demo account. Demo accounts: {', '.join(sorted(demo_emails))}")
        device = TOTPDevice.objects.filter(user__email=email, confirmed=True, key=demo_totp_key(email)).first()
        if device is None:
            raise CommandError(
                f"{email} has no demo authenticator (run `manage.py seed_demo`, or the app was replaced in the demo)."
            )
        clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        clock.time = time.time()
        left = device.step - int(clock.time - device.t0) % device.step
        self.stdout.write(f"{clock.token():0{device.digits}d}")
        self.stderr.write(
            f"Valid for {left} more seconds; each code works once. "
            f"Key for an authenticator app: {b32encode(device.bin_key).decode()}"
        )
