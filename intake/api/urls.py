from django.urls import path, re_path

from intake.api import views

app_name = "api"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Questionnaire/<str:resource_id>", views.questionnaire_read, name="questionnaire"),
    path("Bundle", views.bundle_search, name="bundles"),
    path("Bundle/<str:reference>", views.bundle_read, name="bundle"),
    # Anything else under the API's root: a FHIR 404, not the site's HTML page.
    re_path(r"^(?P<path>.*)$", views.unknown, name="unknown"),
]
