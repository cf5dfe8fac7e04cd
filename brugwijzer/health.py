"""Probes for load balancers and orchestrators; both answer without a login."""

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
@login_not_required
def healthz(request):
    """The process is up. Touches no database, so a database outage does not restart it."""
    return JsonResponse({"status": "ok"})


@never_cache
@login_not_required
def readyz(request):
    """Ready for traffic: the database answers and every migration has been applied."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    if unapplied:
        return JsonResponse({"status": "unavailable", "unapplied_migrations": len(unapplied)}, status=503)
    return JsonResponse({"status": "ok"})
