from audit.models import Action, AuditEvent
from brugwijzer.addresses import client_address


def record(*, action: Action, request=None, actor=None, obj=None, tenant=None, **details) -> AuditEvent:
    """Write one audit event. `details` must never hold data about a family."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_label=actor.email if actor else "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "public_id", None) or getattr(obj, "pk", "")) if obj is not None else "",
        ip_address=client_address(request) if request is not None else None,
        details=details,
    )
    if tenant is not None:
        event.set_tenant(tenant)
    event.save()
    return event
