"""A read-only HSDS 3.0 API over the directory (see welfare/hsds_schema/openapi.json).

Open without a login, like any published directory: it serves only what the social map shows
to everyone, with confidential locations left out, and never anything about schools.
"""

import uuid
from datetime import datetime

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from welfare import hsds
from welfare.filters import text_search
from welfare.hsds_import import SCHEMA_DIR
from welfare.models import Service, ServiceAtLocation, WelfareOrganisation

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class BadRequest(Exception):
    pass


def api_view(view):
    @login_not_required
    @require_GET
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return JsonResponse({"error": str(error)}, status=400)
        except Http404:
            return JsonResponse({"error": "Not found."}, status=404)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _int(request, name, default, low, high):
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}.")
    return value


def _search(request):
    value = request.GET.get("search", "").strip()
    if "\x00" in value or len(value) > 200:
        raise BadRequest("search must be plain text of at most 200 characters.")
    return value


def _uuid(request, name):
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a UUID.") from None


def _page(request, items, render):
    per_page = _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    number = _int(request, "page", 1, 1, 1_000_000)
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(number)
        contents = [hsds.compact(render(item)) for item in page.object_list]
    except EmptyPage:
        contents = []
    return JsonResponse(
        {
            "total_items": paginator.count,
            "total_pages": paginator.num_pages,
            "page_number": number,
            "size": len(contents),
            "first_page": number == 1,
            "last_page": number >= paginator.num_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _public_services():
    """Active services, as the social map shows them, that are not only offered at a confidential address."""
    hidden = ServiceAtLocation.objects.filter(location__is_confidential=True).values("service")
    open_places = ServiceAtLocation.objects.filter(location__is_confidential=False).values("service")
    return hsds.services_queryset().published().filter(~Q(pk__in=hidden) | Q(pk__in=open_places))


def _without_people(document):
    """Named contact people are shown to members only, never to anonymous API clients."""
    document.pop("contacts", None)
    for service in document.get("services", []):
        service.pop("contacts", None)
    if isinstance(document.get("organization"), dict):
        document["organization"].pop("contacts", None)
    return document


@api_view
def root(request):
    return JsonResponse(
        {
            "version": hsds.HSDS_VERSION,
            "profile": request.build_absolute_uri(reverse("welfare:hsds_profile")),
            "openapi_url": request.build_absolute_uri(reverse("welfare:api_openapi")),
        }
    )


@api_view
def openapi(request):
    return HttpResponse((SCHEMA_DIR / "openapi.json").read_bytes(), content_type="application/json")


@api_view
def services(request):
    items = _public_services()
    if value := _search(request):
        items = text_search(items, value)
    if term := _uuid(request, "taxonomy_term_id"):
        items = items.filter(
            Q(needs=term) | Q(subcategories=term) | Q(target_groups=term) | Q(outreach_forms=term)
        ).distinct()
    if organisation := _uuid(request, "organization_id"):
        items = items.filter(organisation_id=organisation)
    if raw := request.GET.get("modified_after", ""):
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise BadRequest("modified_after must be an ISO 8601 date and time.") from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        items = items.filter(updated_at__gt=moment)
    return _page(request, items, lambda s: _without_people(hsds.service_document(s)))


@api_view
def service(request, service_id):
    try:
        found = _public_services().select_related("organisation").get(pk=service_id)
    except Service.DoesNotExist:
        raise Http404 from None
    organisation = hsds.organisations_queryset().get(pk=found.organisation_id)
    found.organisation = organisation
    return JsonResponse(hsds.compact(_without_people(hsds.service_document(found, nest_organisation=True))))


@api_view
def organizations(request):
    items = (
        WelfareOrganisation.objects.select_related("organisation_type")
        .prefetch_related("municipalities", "contacts", "locations__municipality")
        .order_by("name", "id")
    )
    if value := _search(request):
        items = items.filter(name__icontains=value)
    return _page(request, items, lambda o: _without_people(hsds.organization_document(o, with_services=False)))


@api_view
def organization(request, organization_id):
    try:
        found = hsds.organisations_queryset().get(pk=organization_id)
    except WelfareOrganisation.DoesNotExist:
        raise Http404 from None
    document = hsds.organization_document(found)
    document["services"] = [s for s in document["services"] if s["status"] == "active"]
    return JsonResponse(hsds.compact(_without_people(document)))


def _places():
    return (
        ServiceAtLocation.objects.filter(location__is_confidential=False, service__status="active")
        .select_related("location__municipality")
        .prefetch_related("schedules")
        .order_by("id")
    )


def _place_document(at):
    return {
        "id": str(at.id),
        "service_id": str(at.service_id),
        "location_id": str(at.location_id),
        "description": at.description or None,
        "schedules": [hsds.schedule_document(s) for s in at.schedules.all()],
        "location": hsds.location_document(at.location),
    }


@api_view
def service_at_locations(request):
    items = _places()
    if organisation := _uuid(request, "organization_id"):
        items = items.filter(service__organisation_id=organisation)
    return _page(request, items, _place_document)


@api_view
def service_at_location(request, service_at_location_id):
    try:
        return JsonResponse(hsds.compact(_place_document(_places().get(pk=service_at_location_id))))
    except ServiceAtLocation.DoesNotExist:
        raise Http404 from None


@api_view
def taxonomies(request):
    return _page(request, hsds.taxonomies(), lambda t: t)


@api_view
def taxonomy(request, taxonomy_id):
    found = next((t for t in hsds.taxonomies() if t["id"] == str(taxonomy_id)), None)
    if found is None:
        raise Http404
    return JsonResponse(found)


@api_view
def taxonomy_terms(request):
    terms = hsds.taxonomy_terms()
    if wanted := _uuid(request, "taxonomy_id"):
        terms = [t for t in terms if t["taxonomy_id"] == str(wanted)]
    return _page(request, terms, lambda t: t)


@api_view
def taxonomy_term(request, taxonomy_term_id):
    found = next((t for t in hsds.taxonomy_terms() if t["id"] == str(taxonomy_term_id)), None)
    if found is None:
        raise Http404
    return JsonResponse(hsds.compact(found))
