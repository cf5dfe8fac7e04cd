"""Who may see which school, organisation or municipality: the scoped lookups every view uses.

A user's accesses are built from their active memberships in one query per request. A view
for a tenant asks `tenant_view(kind, capability)`: strangers get a 404 (we do not confirm that
the object exists), members whose roles lack the capability get a 403.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import CAPABILITIES, ROLE_TASKS, Capability, Role, TenantKind

SESSION_KEY = "brugwijzer_active_context"


def kind_of(tenant) -> TenantKind:
    """The kind of tenant an object is; every tenant model states its own (`tenant_kind`)."""
    kind = getattr(type(tenant), "tenant_kind", None)
    if kind is None:
        raise TypeError(f"{tenant!r} is not a tenant")
    return TenantKind(kind)


@dataclass
class Access:
    """What one user may do in one tenant: the union of their roles there."""

    kind: TenantKind
    tenant: object
    roles: set[Role] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.tenant.public_id}"

    def can(self, capability: Capability) -> bool:
        return bool(self.roles & CAPABILITIES[capability])

    @property
    def role_labels(self) -> list[str]:
        return [role.label for role in Role if role in self.roles]

    @property
    def role_tasks(self) -> list[tuple[str, str]]:
        return [(role.label, ROLE_TASKS[role]) for role in Role if role in self.roles]


def accesses_for(request) -> list[Access]:
    """The active user's accesses, one per tenant, cached on the request."""
    cached = getattr(request, "_brugwijzer_accesses", None)
    if cached is not None:
        return cached
    from accounts.models import Membership

    accesses: dict[str, Access] = {}
    if request.user.is_authenticated:
        memberships = (
            Membership.objects.active()
            .filter(user=request.user)
            .select_related("school__municipality", "school__clb", "organisation__organisation_type", "municipality")
            .order_by("role", "id")
        )
        for membership in memberships:
            access = Access(membership.tenant_kind, membership.tenant)
            accesses.setdefault(access.key, access).roles.add(Role(membership.role))
    request._brugwijzer_accesses = sorted(accesses.values(), key=lambda a: (a.kind != TenantKind.SCHOOL, str(a.tenant)))
    return request._brugwijzer_accesses


def active_access(request) -> Access | None:
    """The context the user last worked in (set by visiting it or by the switcher)."""
    accesses = accesses_for(request)
    if not accesses:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((access for access in accesses if access.key == wanted), accesses[0])


def get_access(request, kind: TenantKind, public_id) -> Access:
    """The user's access to one tenant, or a 404 when they have none."""
    key = f"{kind}:{public_id}"
    for access in accesses_for(request):
        if access.key == key:
            return access
    raise Http404


def tenant_view(capability: Capability, kind: TenantKind | None = None):
    """Decorate a view whose URL names a tenant; the view receives the user's Access to it.

    With a fixed `kind` the URL carries `<kind>_id` (`school_id` …); without, it carries both
    `kind` and `tenant_id`, for views shared by every kind of tenant (the team pages).
    The tenant visited becomes the active context shown in the header.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if kind is None:
                access = get_access(request, TenantKind(kwargs.pop("kind")), kwargs.pop("tenant_id"))
            else:
                access = get_access(request, kind, kwargs.pop(f"{kind}_id"))
            if not access.can(capability):
                raise PermissionDenied
            if request.session.get(SESSION_KEY) != access.key:
                request.session[SESSION_KEY] = access.key
            return view(request, access, *args, **kwargs)

        return wrapper

    return decorator


def member_view(capability: Capability):
    """Decorate a view that is not about one tenant (the directory): any of the user's
    places must grant the capability. People without any membership get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(access.can(capability) for access in accesses_for(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def accesses_with(request, capability: Capability, kind: TenantKind | None = None) -> list[Access]:
    return [a for a in accesses_for(request) if a.can(capability) and (kind is None or a.kind == kind)]
