import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Patient intake")


class AxesConfig(axes.apps.AppConfig):
    """django-axes as it is, its admin section named in the reader's language (axes ships no
    Japanese; our catalogue translates its models and fields)."""

    # Not the intake app's own configuration: INSTALLED_APPS names this class for "axes".
    default = False
    verbose_name = _("Sign-in attempts")
