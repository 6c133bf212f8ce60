"""The admin's long lists (intakes, decisions, access records, invitations, patients...): pages
that read a page's rows and never the whole table, at a million intakes as at ten.

Django's changelist counts every matching row twice (filtered and in all), draws the date
hierarchy from every row's year, offers facet counts and reads the rows it skips on a deep page.
Here the count stops at `COUNT_BOUND` ("10,000+" beyond), there is no full count, no date
hierarchy (a date filter instead) and no facets, and a page reads its rows' ids in the list's
order first (from the ordering's index), then only those rows.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import ShowFacets
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext

from intake import search

# Beyond this many matching rows a list says "10,000+": staff narrow it with a search or a filter.
COUNT_BOUND = 10_000


class BoundedPaginator(Paginator):
    """Counts at most `bound` + 1 rows; pages past the bound are not offered."""

    bound = COUNT_BOUND

    @cached_property
    def count(self) -> int:
        # Without its order: the rows counted are the same, and nothing is sorted to count them.
        return self.object_list.order_by()[: self.bound + 1].count()

    @property
    def more_than_bound(self) -> bool:
        return self.count > self.bound

    @property
    def count_shown(self) -> str:
        """The count as the list shows it: the number, or "10,000+" past the bound."""
        if not self.more_than_bound:
            return number_format(self.count, force_grouping=True)
        return gettext("%(count)s+") % {"count": number_format(self.bound, force_grouping=True)}

    @cached_property
    def num_pages(self) -> int:
        if self.more_than_bound:
            return math.ceil(self.bound / self.per_page)
        return super().num_pages

    def page(self, number: Any) -> Page:
        """The page's ids in the list's order (one subquery an index answers), then its rows."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class LongListAdmin(admin.ModelAdmin):
    """A changelist for a table that grows with every visit."""

    paginator = BoundedPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    date_hierarchy = None

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        changelist = context.get("cl")
        if changelist is not None and changelist.paginator.more_than_bound:
            # "All 10,000+ selected", not the number counted to stop at.
            shown = changelist.paginator.count_shown
            context["selection_note_all"] = ngettext(
                "%(total_count)s selected", "All %(total_count)s selected", changelist.result_count
            ) % {"total_count": shown}
        return response


class ByIntakeReference:
    """A list of what belongs to an intake (decisions, links...), searched by the intake's
    reference code, whole or in part, through its index."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not search.normalised_query(search_term):
            return queryset, False
        return queryset.filter(intake__in=search.intakes_with_reference(search_term)), False
