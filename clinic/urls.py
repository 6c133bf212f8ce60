from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from intake import errors, views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("intake/", include("intake.urls")),
    path("review/", include("intake.review.urls")),
    path("patients/", include("intake.patients.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("intake.invitations.urls")),
)

# The error pages in the visitor's language (used with DEBUG off); the CSRF failure is in settings.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
