from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from intake import errors, middleware, views
from intake.review.forms import StaffAuthenticationForm

# Staff accounts: sign in and out, change one's password. No password reset until the clinic
# sends e-mail (it would mail a link to nowhere); an administrator sets a new password meanwhile.
accounts = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=StaffAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The idle warning's "Stay signed in" (intake.middleware).
    path("keep-alive/", middleware.staff_keep_alive, name="keep_alive"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    # The FHIR API for integrations: no language prefix, its own token authentication.
    path("api/fhir/", include("intake.api.urls")),
]
urlpatterns += i18n_patterns(
    path("intake/", include("intake.urls")),
    path("review/", include("intake.review.urls")),
    path("patients/", include("intake.patients.urls")),
    path("visits/", include("intake.visits.urls")),
    path("tablet/", include("intake.tablet.urls")),
    path("accounts/", include(accounts)),
    path("admin/", admin.site.urls),
    path("", include("intake.invitations.urls")),
)

# The error pages in the visitor's language (used with DEBUG off); the CSRF failure is in settings.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
