from django.urls import path

from welfare import api, views

app_name = "welfare"
urlpatterns = [
    path("organisations/<uuid:organisation_id>/", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("directory/<uuid:organisation_id>/", views.organisation, name="organisation"),
    path("directory/<uuid:organisation_id>/edit/", views.edit_organisation, name="edit_organisation"),
    path("directory/<uuid:organisation_id>/services/new/", views.edit_service, name="add_service"),
    path("directory/<uuid:organisation_id>/services/<uuid:service_id>/", views.edit_service, name="edit_service"),
    path("directory/import/", views.import_directory, name="import"),
    path("directory/<uuid:organisation_id>/locations/new/", views.edit_location, name="add_location"),
    path("directory/<uuid:organisation_id>/locations/<uuid:location_id>/", views.edit_location, name="edit_location"),
    path("directory/<uuid:organisation_id>/suggest/", views.suggest, name="suggest"),
    path("directory/<uuid:organisation_id>/suggestions/", views.suggestions, name="suggestions"),
    path("hsds/profile/", views.hsds_profile, name="hsds_profile"),
    path("api/hsds/", api.root, name="api_root"),
    path("api/hsds/openapi.json", api.openapi, name="api_openapi"),
    path("api/hsds/services", api.services, name="api_services"),
    path("api/hsds/services/<uuid:service_id>", api.service, name="api_service"),
    path("api/hsds/organizations", api.organizations, name="api_organizations"),
    path("api/hsds/organizations/<uuid:organization_id>", api.organization, name="api_organization"),
    path("api/hsds/service_at_locations", api.service_at_locations, name="api_service_at_locations"),
    path(
        "api/hsds/service_at_locations/<uuid:service_at_location_id>",
        api.service_at_location,
        name="api_service_at_location",
    ),
    path("api/hsds/taxonomies", api.taxonomies, name="api_taxonomies"),
    path("api/hsds/taxonomies/<uuid:taxonomy_id>", api.taxonomy, name="api_taxonomy"),
    path("api/hsds/taxonomy_terms", api.taxonomy_terms, name="api_taxonomy_terms"),
    path("api/hsds/taxonomy_terms/<uuid:taxonomy_term_id>", api.taxonomy_term, name="api_taxonomy_term"),
]
