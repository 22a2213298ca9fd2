"""The public's side of 群众监督意见, without signing in: the form on a notice online, the
receipt with the tracking code, the tracking page, and the notice's QR code for posters.

Pages with a form or a code are never cached (``never_cache``): the captcha is one-use and a
code must not sit in a shared cache. The notice page itself stays cacheable and links here.
"""

from __future__ import annotations

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from zhenggai.ledger.errors import InvalidTransition, NotFound, ValidationError
from zhenggai.opinions import actions, reads
from zhenggai.opinions.forms import PublicOpinionForm
from zhenggai.public import publishing
from zhenggai.public.models import Publication
from zhenggai.security.lockout import client_address


def _online(slug: str) -> Publication:
    try:
        return publishing.online_by_slug(slug)
    except NotFound as exc:
        raise Http404() from exc


@never_cache
@require_http_methods(["GET", "POST"])
def opinion_form(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _online(slug)
    form = PublicOpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = actions.submit_online(
                publication,
                name=data["name"],
                contact=data["contact"],
                text=data["text"],
                attachment=data.get("attachment"),
                address=client_address(request),
            )
        except ValidationError as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.errors:
                form.add_error(None, exc.message)
        except InvalidTransition as exc:
            form.add_error(None, exc.message)
        else:
            context = {"publication": publication, "code": receipt.code, "due": receipt.opinion.due}
            return render(request, "opinions/public_receipt.html", context, status=201)
    status = 400 if request.method == "POST" else 200
    context = {"publication": publication, "form": form}
    return render(request, "opinions/public_form.html", context, status=status)


@never_cache
@require_GET
def tracking(request: HttpRequest, code: str) -> HttpResponse:
    found = reads.by_code(code)
    if found is None:
        raise Http404()
    return render(request, "opinions/public_tracking.html", {"tracking": found})


@never_cache
@require_http_methods(["GET", "POST"])
def tracking_lookup(request: HttpRequest) -> HttpResponse:
    """A form to type the code in (POST, so the code stays out of the address bar and logs)."""
    found = None
    asked = request.method == "POST"
    if asked:
        found = reads.by_code(request.POST.get("code", ""))
    context = {"tracking": found, "asked": asked}
    status = 404 if asked and found is None else 200
    return render(request, "opinions/public_tracking.html", context, status=status)


def public_address(request: HttpRequest, publication: Publication) -> str:
    return request.build_absolute_uri(reverse("public:notice", kwargs={"slug": publication.slug}))


@require_GET
def qr_svg(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _online(slug)
    svg = segno.make(public_address(request, publication), error="m").svg_inline(scale=8)
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
def poster(request: HttpRequest, slug: str) -> HttpResponse:
    """A printable A4 page: the notice's heading, the QR code and the address."""
    publication = _online(slug)
    address = public_address(request, publication)
    qr = segno.make(address, error="m").svg_inline(scale=8)
    context = {"publication": publication, "address": address, "qr": qr}
    return render(request, "opinions/public_poster.html", context)
