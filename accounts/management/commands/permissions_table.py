"""Write docs/permissions.md from the capability table in accounts/roles.py."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from accounts.roles import CAPABILITIES, FAMILY_DATA_CAPABILITIES, ROLE_TENANT, Capability, Role, roles_requiring_mfa

HEADER = """# Who may see and do what

Generated from `accounts/roles.py` by `python manage.py permissions_table`; a test fails when
this file and the code disagree. Edit the code, then run the command.

How access works:

- **Deny by default.** Every page needs a login (Django's `LoginRequiredMiddleware`), except
  login, password reset, invitation links, the language switch and the health probes.
- **Scoped lookups.** Every page about a school, organisation or municipality looks the place
  up among the user's own active memberships (`accounts.access.tenant_view`). Someone with no
  membership there gets **404**: we do not confirm that it exists.
- **Capabilities.** A member whose roles lack the capability gets **403**. A person with
  several roles in one place has the union of their capabilities.
- **Platform administrators** are Django staff users. They manage municipalities, schools,
  organisations, users, memberships and invitations in the admin site and browse the audit log
  there (read-only). They hold no role and see no school's pages.

## Roles

| role | code | works in |
|---|---|---|
"""


class Command(BaseCommand):
    help = "Write the capability table to docs/permissions.md."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "permissions.md"))

    def handle(self, *args, output, **options):
        with translation.override("en"):
            lines = [HEADER.rstrip("\n")]
            lines += [f"| {role.label} | `{role.value}` | {ROLE_TENANT[role].label.lower()} |" for role in Role]
            lines += ["", "## Capabilities", "", "✓ = allowed; anything else is denied.", ""]
            lines.append("| capability | " + " | ".join(f"`{role.value}`" for role in Role) + " |")
            lines.append("|---|" + "---|" * len(Role))
            for capability in Capability:
                cells = ["✓" if role in CAPABILITIES[capability] else "" for role in Role]
                lines.append(f"| `{capability.value}`: {capability.label} | " + " | ".join(cells) + " |")
            needing = roles_requiring_mfa()
            lines += [
                "",
                "## Two-factor login",
                "",
                "A role with a capability on family data ("
                + ", ".join(
                    f"`{capability.value}`" for capability in Capability if capability in FAMILY_DATA_CAPABILITIES
                )
                + ") logs in with an authenticator app, and so does every platform administrator. A person needs it "
                "when any of their active roles does; anyone else may set it up and is then asked for it too.",
                "",
                "| role | two-factor login |",
                "|---|---|",
            ]
            lines += [f"| `{role.value}` | {'required' if role in needing else 'optional'} |" for role in Role]
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text("\n".join(lines) + "\n")
        self.stdout.write(f"Wrote {output}")
