from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

from . import errors, guard


class LanguageMiddleware(LocaleMiddleware):
    """Pages are in Simplified Chinese unless the user chose another language with the switch (a cookie);
    the API follows `Accept-Language`, as its contract says."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class InputGuardMiddleware:
    """The input guard (kos_platform.guard) before any view: body size, query string, form fields, path ids.
    A refusal answers before anything could change; API answers carry `Cache-Control: no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            guard.check_request(request)
        except guard.InputRefused as refused:
            response = self.refusal(request, refused)
        else:
            response = self.get_response(request)
        if errors.is_api(request):
            patch_cache_control(response, no_store=True)
        return response

    def process_view(self, request, view, args, kwargs):
        try:
            guard.check_path(kwargs)
        except guard.OutOfRange:
            return errors.page_not_found(request)
        except guard.InputRefused as refused:
            return self.refusal(request, refused)
        return None

    @staticmethod
    def refusal(request, refused: guard.InputRefused):
        if refused.status == 413:
            return errors.error_response(request, 413, "too_large", refused.detail)
        return errors.error_response(request, 400, "invalid", errors.INVALID, fields=refused.fields)
