"""Pagination of lists: a page of ids first, then the rows of that page only, so a list of a
whole province costs two cheap queries plus those of one page, whatever its length."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50
# Inspection lists, newest feedback first. Said again on every annotated query: Django drops
# ``Meta.ordering`` from GROUP BY queries, and a page needs one order.
NEWEST = ("-feedback_date", "-id")


def page_of(request: HttpRequest, ids: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page:
    """The page ``?page=`` asks for of ``ids`` (an ordered ``values_list("pk", flat=True)``).
    A page that is not a number is the first, one past the end the last: never an error."""
    return Paginator(ids, per_page).get_page(request.GET.get("page"))
