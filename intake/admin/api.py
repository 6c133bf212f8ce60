"""API tokens of integrations (the FHIR API, `intake.api`): made and revoked by the clinic's
administrator (a superuser) only.

A token is shown once, on the page that follows its creation, and never again: only its hash is
kept. It reads as a service account of its own, named in the access record for every call. A
token is never deleted (the access record names its account): it is revoked, and the next call
with it gets a 401.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intake.api import services
from intake.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "scope", "state", "created_at", "created_by", "last_used_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix")
    readonly_fields = (
        "prefix",
        "state",
        "account",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke"]

    # Superusers only, whatever permissions a group was given.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return ["name", "scope"]
        return ["name", "scope", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        # A token's scope is what it was made with: a wider one is a new token.
        return (*self.readonly_fields, "scope") if obj is not None else ()

    @admin.display(description=gettext_lazy("state"))
    def state(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return _("Revoked")
        if not token.account.is_active:
            return _("Its service account is deactivated")
        return _("Active")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return super().get_queryset(request).select_related("account", "created_by")

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # Kept on the object for the next page only (response_add), never stored.
        obj.secret_once = services.api_token_issue(token=obj, created_by=request.user)

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The token, once: the administrator copies it into the integration now."""
        secret = getattr(obj, "secret_once", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Copy the API token now"),
            "token": obj,
            "secret": secret,
        }
        response = TemplateResponse(request, "admin/intake/apitoken/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(permissions=["change"], description=gettext_lazy("Revoke selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = services.api_tokens_revoke(tokens=queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
