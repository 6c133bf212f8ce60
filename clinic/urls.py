from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from intake import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("intake/", include("intake.urls")),
    path("review/", include("intake.review.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("intake.invitations.urls")),
)
