"""The public pages: no sign-in, nothing but what was published (``publishing.online``).

``/public/`` lists the notices online; ``/public/<slug>/`` shows one as a page and
``/public/<slug>/notice.txt`` as the exact published text.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.ledger.errors import NotFound
from zhenggai.public import publishing
from zhenggai.public.models import Publication

INDEX_LIMIT = 200
# The line shapes of a text published before the paragraphs were kept: 一、… and （一）….
ASPECT_LINE = re.compile(r"^[一二三四五六七八九十百]+、")
PROBLEM_LINE = re.compile(r"^（[一二三四五六七八九十百]+）")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    publications = publishing.online().select_related("inspection__unit")
    context = {"publications": publications.order_by("-published_at")[:INDEX_LIMIT]}
    return render(request, "public/index.html", context)


def _online(slug: str) -> Publication:
    try:
        return publishing.online_by_slug(slug)
    except NotFound as exc:
        raise Http404() from exc


@require_GET
def notice(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _online(slug)
    context = {"publication": publication, "blocks": blocks(publication)}
    return render(request, "public/notice.html", context)


@require_GET
def notice_text(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _online(slug)
    return HttpResponse(publication.text, content_type="text/plain; charset=utf-8")


PAGE_TAGS = {"aspect": "h2", "problem": "h3", "body": "p"}


def blocks(publication: Publication) -> list[tuple[str, str]]:
    """The published paragraphs as (tag, text) for the page: ``h2`` for an aspect, ``h3`` for a
    problem, ``p`` otherwise. The issuer and title lines are the page's heading already.

    A publication keeps the paragraphs of the official text (``reports.official``) it was
    published from; one published before that is split from its text by the line shapes."""
    paragraphs = (
        publication.notice.get("paragraphs") if isinstance(publication.notice, dict) else None
    )
    if paragraphs:
        return [(PAGE_TAGS[kind], text) for kind, text in paragraphs if kind in PAGE_TAGS]
    return _blocks_from_text(publication)


def _blocks_from_text(publication: Publication) -> list[tuple[str, str]]:
    skip = {publication.issuer, publication.title}
    out = []
    for line in publication.text.splitlines():
        if not line.strip() or line in skip:
            continue
        kind = "h2" if ASPECT_LINE.match(line) else "h3" if PROBLEM_LINE.match(line) else "p"
        out.append((kind, line))
    return out
