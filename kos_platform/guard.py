"""The one input guard (API.md "Input limits"): what every request is checked for before a view runs.

`InputGuardMiddleware` sees every request — API, pages, ingest, admin: body size by path, the path's ids, and the
text of the query string, the path and form fields. `GuardedJSONParser` is the API's only JSON parser: it measures
the nesting on the raw bytes before Python recurses, and finds refused characters in the parsed strings. Dates are
bounded by the validators below, which the models' date fields (and so their serializers, forms and the admin),
the ingests and the list filters' `BoundedDateFormField` use.
"""

import json
import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from . import clock

MAX_JSON_DEPTH = 64
BODY_LIMIT = int(2.5 * 1024 * 1024)
INGEST_BODY_LIMIT = 16 * 1024 * 1024
UPLOAD_BODY_LIMIT = 64 * 1024 * 1024  # multipart: a batch's ZIP of proofs; its fields still count against 2.5 MB
INGEST_PATHS = tuple(
    f"/api/v1/platform/{name}/" for name in ("notes", "note-metrics", "ad-spend", "products", "orders")
)
MAX_QUERY_STRING = 8000  # below gunicorn's request-line limit (gunicorn.conf.py), so the API answers, in JSON
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_ID = 2**63 - 1

# NUL and the other C0 controls but tab and line breaks; UTF-16 surrogates (a lone one cannot be stored); zero-width
# space, word joiner and BOM; the bidirectional marks, embeddings, overrides and isolates. The zero-width (non-)
# joiners U+200C/U+200D stay allowed: emoji sequences and several scripts need them.
REFUSED_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# The same characters as they appear in a JSON body, escaped or raw (UTF-8). A body with none of them needs no walk of
# its parsed strings; each pattern starts with literal bytes, so a search runs at C speed. A surrogate is refused only
# alone: a body whose high and low escapes all stand in pairs (emoji, as JSON writes them) holds none.
_REFUSED_ESCAPE = re.compile(rb"\\u(?:00[01]|200[bBeEfF]|202[a-eA-E]|206[0-46-9]|[fF][eE][fF][fF])")
_HIGH_SURROGATE = re.compile(rb"\\u[dD][89abAB]")
_LOW_SURROGATE = re.compile(rb"\\u[dD][c-fC-F]")
_SURROGATE_PAIR = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F]")
_REFUSED_RAW = re.compile(rb"\xe2\x80[\x8b\x8e\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xef\xbb\xbf")
_RAW_LEADS = (b"\xe2\x80", b"\xe2\x81", b"\xef\xbb\xbf")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_STRING = re.compile(rb'"[^"]*"')
_INNERMOST = re.compile(rb"\[\]|\{\}")

REFUSED_MESSAGE = _(
    "Contains a character that is not allowed (NUL, a control character, a lone surrogate, "
    "or a bidirectional or zero-width control)."
)
ID_MESSAGE = _("An ID is a whole number written in the digits 0-9.")
DEPTH_MESSAGE = _("The JSON nests more than %(n)s levels.")
TOO_LARGE_MESSAGE = _("The request is too large: at most %(size)s.")
QUERY_TOO_LONG_MESSAGE = _("The query string is too long.")


class InputRefused(Exception):
    """A request the guard refuses: 400 `invalid` naming the fields, or 413 `too_large`."""

    def __init__(self, fields: dict[str, list] | None = None, *, status: int = 400, detail=None):
        self.fields = fields or {}
        self.status = status
        self.detail = detail
        super().__init__(fields)


def has_refused_character(value: str) -> bool:
    return REFUSED_CHARACTERS.search(value) is not None


def check_text(value: str) -> None:
    """Django validator of the refused characters, for fields whose text does not come through the request."""
    if value and has_refused_character(value):
        raise DjangoValidationError(REFUSED_MESSAGE, code="refused_character")


# Requests -------------------------------------------------------------------------------------------------------


def body_limit(request) -> int:
    if request.path.startswith(INGEST_PATHS):
        return INGEST_BODY_LIMIT
    if request.content_type == "multipart/form-data":
        return UPLOAD_BODY_LIMIT
    return BODY_LIMIT


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB"


def check_request(request) -> None:
    """Size and text of what Django decodes for every view: the body's length, the query string, form fields."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise InputRefused({"Content-Length": [gettext("Not a number.")]}) from None
    limit = body_limit(request)
    if length > limit:
        raise InputRefused(status=413, detail=TOO_LARGE_MESSAGE % {"size": _size(limit)})
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        raise InputRefused({"query": [QUERY_TOO_LONG_MESSAGE]})
    fields = _refused_fields(request.GET)
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields.update(_refused_fields(request.POST))
    if fields:
        raise InputRefused(fields)


def _refused_fields(data) -> dict[str, list]:
    return {
        _printable(key): [REFUSED_MESSAGE]
        for key, values in data.lists()
        if has_refused_character(key) or any(has_refused_character(value) for value in values)
    }


def _printable(name: str) -> str:
    return REFUSED_CHARACTERS.sub("\ufffd", name)


def check_path(view_kwargs: dict) -> None:
    """Path ids are ASCII digits (a router's `pk` is any text until here); other path text has no refused
    characters. An id past the database's integer range cannot exist: 404."""
    fields = {}
    for name, value in view_kwargs.items():
        if isinstance(value, int):
            if value > MAX_ID:
                raise OutOfRange
        elif name in ("pk", "id") or name.endswith("_pk"):
            if not (value.isascii() and value.isdigit()):
                fields[name] = [ID_MESSAGE]
            elif int(value) > MAX_ID:
                raise OutOfRange
        elif isinstance(value, str) and has_refused_character(value):
            fields[name] = [REFUSED_MESSAGE]
    if fields:
        raise InputRefused(fields)


class OutOfRange(Exception):
    """A path id no row can have."""


# JSON -------------------------------------------------------------------------------------------------------------


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON nests deeper than `limit`, read from the bytes before any parsing: escapes and strings removed,
    the innermost empty pairs of brackets left are removed pass by pass — every pass at C speed — and what still
    stands after `limit` passes is deeper. Unbalanced brackets are left for the parser to refuse."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    if b"\\" in body:  # escaped backslashes and quotes are not structure
        body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = body.translate(None, _NOT_STRUCTURE)
    # Strings are now `""`, or quotes around the brackets they held: drop the first, then (rarely) the second.
    structure = structure.replace(b'""', b"")
    if b'"' in structure:
        structure = _STRING.sub(b"", structure)
    for _depth in range(limit):
        structure, removed = _INNERMOST.subn(b"", structure)
        if not structure or not removed:
            return False
    return bool(_INNERMOST.search(structure))


def may_hold_refused_characters(body: bytes) -> bool:
    """Whether the raw JSON may hold a refused character (an escaped backslash can make it say yes wrongly: the walk
    of the parsed strings then decides)."""
    if b"\\" in body and b"\\u" in body:  # a one-byte search first: many bodies hold no backslash at all
        if _REFUSED_ESCAPE.search(body):
            return True
        highs = len(_HIGH_SURROGATE.findall(body))
        if highs or _LOW_SURROGATE.search(body):
            pairs = len(_SURROGATE_PAIR.findall(body))
            if highs != pairs or len(_LOW_SURROGATE.findall(body)) != pairs:
                return True
    if body.isascii():
        return False
    return any(lead in body for lead in _RAW_LEADS) and _REFUSED_RAW.search(body) is not None


def holds_refused_characters(data) -> bool:
    """Whether any string or key of the parsed JSON holds a refused character (no paths: the quick question)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if REFUSED_CHARACTERS.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def refused_json_fields(data, path: str = "") -> dict[str, list]:
    """Paths (`[3].title`, `targeting.regions[0]`) of parsed strings and keys holding a refused character."""
    found = {}
    if isinstance(data, str):
        if has_refused_character(data):
            found[path or "non_field_errors"] = [REFUSED_MESSAGE]
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.update(refused_json_fields(item, f"{path}[{index}]"))
    elif isinstance(data, dict):
        for key, value in data.items():
            name = _printable(key) if isinstance(key, str) else str(key)
            inner = f"{path}.{name}" if path else name
            if isinstance(key, str) and has_refused_character(key):
                found[inner] = [REFUSED_MESSAGE]
            found.update(refused_json_fields(value, inner))
    return found


def _top_level(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0] or path


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


class GuardedJSONParser(parsers.JSONParser):
    """JSON bodies: nesting measured before parsing, NaN and Infinity refused, refused characters found by field."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        if json_depth_exceeds(body):
            raise ValidationError({"non_field_errors": [DEPTH_MESSAGE % {"n": MAX_JSON_DEPTH}]})
        try:
            data = json.loads(
                body.decode((parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)),
                parse_constant=_refuse_constant,
            )
        except (ValueError, RecursionError):
            raise ParseError() from None
        if may_hold_refused_characters(body) and holds_refused_characters(data):
            fields = refused_json_fields(data)
            if isinstance(data, dict):  # named by the serializer's field, as its own errors are
                fields = {_top_level(name): messages for name, messages in fields.items()}
            raise ValidationError(fields)
        return data


# Dates ------------------------------------------------------------------------------------------------------------

CONTENT_EPOCH = date(2013, 1, 1)
ENTERPRISE_DATES = (date(1990, 1, 1), date(2100, 12, 31))
ONE_DAY = timedelta(days=1)


def content_dates() -> tuple[date, date]:
    """Content times (notes, metrics, spend, orders) and list filters lie from 2013-01-01 to one day after now."""
    return CONTENT_EPOCH, clock.local_today() + ONE_DAY


def check_between(value: date | datetime, bounds: tuple[date, date]) -> None:
    """A date within the bounds, or an instant within their local days (compared as instants: a far one has no
    local date)."""
    low, high = bounds
    if isinstance(value, datetime):
        inside = day_start(low) <= value < day_start(high) + ONE_DAY
    else:
        inside = low <= value <= high
    if not inside:
        raise DjangoValidationError(
            _("Must lie between %(low)s and %(high)s.") % {"low": low.isoformat(), "high": high.isoformat()},
            code="out_of_bounds",
        )


def validate_content_date(value: date | datetime) -> None:
    check_between(value, content_dates())


def validate_enterprise_date(value: date | datetime) -> None:
    check_between(value, ENTERPRISE_DATES)


class BoundedDateFormField(forms.DateField):
    """The date of list filters and pages: within the content bounds."""

    default_validators = [validate_content_date]


def day_start(value: date) -> datetime:
    """The first instant of a local calendar day."""
    return timezone.make_aware(datetime.combine(value, time.min))
