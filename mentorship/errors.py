"""Django's error views, answering in the API's JSON envelope under /api/ and with our pages
elsewhere; and the middleware that refuses text we can't store before any view runs."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from .api.errors import envelope
from .api.exceptions import too_large_detail
from .text import UNSTORABLE_MESSAGE, first_unstorable


def is_api(request):
    return request.path.startswith("/api/")


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        detail = too_large_detail()
        if is_api(request):
            return JsonResponse(envelope("payload_too_large", detail), status=413)
        return render(request, "400.html", {"detail": detail}, status=413)
    if is_api(request):
        return JsonResponse(envelope("bad_request", "Bad request."), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        detail = "You do not have permission to perform this action."
        return JsonResponse(envelope("permission_denied", detail), status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return JsonResponse(envelope("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        body = envelope("error", "Server error.", type="server_error")
        return JsonResponse(body, status=500)
    return defaults.server_error(request)


class StorableTextMiddleware:
    """A query string or form post holding a NUL character answers 400 (PostgreSQL can't store
    it). JSON bodies are checked by the API's parser, uploaded files where they are read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = first_unstorable(request.GET)
        if name is None and request.method == "POST" and _is_form(request):
            name = first_unstorable(request.POST)
        if name is None:
            return self.get_response(request)
        if is_api(request):
            # As the JSON parser answers for a body: the request can't be read as it is.
            return JsonResponse(envelope("parse_error", UNSTORABLE_MESSAGE), status=400)
        return render(request, "400.html", {"detail": UNSTORABLE_MESSAGE}, status=400)


def _is_form(request):
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
