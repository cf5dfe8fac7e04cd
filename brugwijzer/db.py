"""Reads from the read replica, only where code asks for it.

With `DATABASE_REPLICA_URL` set, the settings add a database alias `replica` (a streaming
replica of the primary). Nothing goes there by default: a view or export opts in with
`replica_reads`, and inside that scope the ORM's reads go to the replica while every write still
goes to the primary (`default`). Without the setting, or outside the scope, everything uses
`default`.

    from brugwijzer.db import replica_reads

    @tenant_view(Capability.VIEW_DASHBOARD)   # the access check itself reads the primary
    @replica_reads
    def dashboard(request, access): ...

    with replica_reads():                     # or around a block, e.g. inside a streaming
        rows = list(Referral.objects.counts()) # response's generator, which runs after the view

Use it for pages and exports that only read and can live with data a few seconds old (municipal
dashboards, statistics, CSV exports). Never for a page that must show what was just saved, and not
for the family data the parents' right of access covers.

Reads inside a transaction on the primary (`transaction.atomic()`) stay on the primary, so code
that writes and then reads in one transaction reads its own writes.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from inspect import iscoroutinefunction

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"

_replica_scope: ContextVar[bool] = ContextVar("brugwijzer_replica_reads", default=False)


@contextmanager
def _scope():
    token = _replica_scope.set(True)
    try:
        yield
    finally:
        _replica_scope.reset(token)


def replica_reads(func=None):
    """Send the ORM's reads to the read replica, as a decorator (`@replica_reads`, sync or async
    views) or a context manager (`with replica_reads():`). Writes always go to the primary."""
    if func is None:
        return _scope()
    if iscoroutinefunction(func):

        @wraps(func)
        async def async_wrapper(*args, **kwargs):
            with _scope():
                return await func(*args, **kwargs)

        return async_wrapper

    @wraps(func)
    def wrapper(*args, **kwargs):
        with _scope():
            return func(*args, **kwargs)

    return wrapper


def reading_from_replica() -> bool:
    """Whether a read right now would go to the replica."""
    return (
        _replica_scope.get()
        and REPLICA_DB_ALIAS in connections.settings
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class ReplicaRouter:
    """The one database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model, **hints):
        return REPLICA_DB_ALIAS if reading_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: an object read from one may point at an
        # object read from the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's changes; migrations run on the primary only.
        return db == DEFAULT_DB_ALIAS
