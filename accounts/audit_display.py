"""The audit log in the reader's language: every record's action, object, before → after and a one-line summary.

`accounts.audit` writes records in the code's words (`notes.notereview`, `{"status": "in_review"}`); this module
reads them back in words — the object by its domain name (a note's title, an employee's name and RED ID, a
campaign's name, …), states through their model choices, fields through their verbose names, money as ¥1,234.50,
rates as percentages, instants in Asia/Shanghai. The brand's 操作日志 page, its CSV/XLSX export and the API's
`summary` all go through `describe`, so they read the same.

Registering a new object kind
-----------------------------
Each app keeps a module `<app>/audit_display.py`, imported on first use (`autodiscover_modules`, as the admin
does). A new kind is a few lines there::

    from accounts.audit_display import names_of, register
    from .models import Voucher

    register(
        "rewards.voucher",                          # the record's object_type (the model's label_lower)
        label=_("Voucher"),                         # the kind in words (object column, kind filter)
        names=names_of(Voucher, "code"),            # pk → domain name, one query for a page of records
        fields={"amount": _("Face value")},         # labels of before/after keys that are not model fields
        money={"amount"},                           # keys shown as ¥; model DecimalFields of 2 places are already
    )

Model fields (labels from `verbose_name`, values from `choices`, money/rates/instants by field type) need no entry.
Add the action's words to `accounts.audit.ACTION_LABELS`. `tests/accounts/test_audit_display.py` renders a record of
every kind the services write and fails on a code word, so a kind or field left out shows up there.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .audit import ACTION_LABELS

EMPTY = "—"
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Keys that appear in many kinds' before/after and are not model fields of the recorded object.
COMMON_FIELDS = {
    "note_id": gettext_lazy("Note ID"),
    "note_ids": gettext_lazy("Promoted notes"),
    "keywords": gettext_lazy("Keywords"),
    "user": gettext_lazy("User"),
    "username": gettext_lazy("Login"),
    "agency_name": gettext_lazy("Agency"),
    "amount": gettext_lazy("Amount"),
    "balance": gettext_lazy("Balance after"),
    "first": gettext_lazy("First recharge"),
    "commission": gettext_lazy("Commission"),
    "threshold": gettext_lazy("Spend threshold"),
    "received": gettext_lazy("Rows received"),
    "created": gettext_lazy("Rows created"),
    "updated": gettext_lazy("Rows updated"),
    "ledger_lines": gettext_lazy("Ledger lines"),
    "commission_lines": gettext_lazy("Commission lines"),
    "paused_campaigns": gettext_lazy("Campaigns paused"),
    "new_user": gettext_lazy("New login"),
    "kos_permission": gettext_lazy("Employee-account management permission"),
    "standing": gettext_lazy("In effect"),
    "revoked": gettext_lazy("Revoked"),
    "tokens_revoked": gettext_lazy("Sign-in tokens revoked"),
    "failures": gettext_lazy("Failed attempts"),
    "locked_until": gettext_lazy("Locked until"),
    "ip_address": gettext_lazy("IP address"),
}
COMMON_MONEY = {"amount", "balance", "commission", "threshold", "budget"}
HIDDEN = {"agency"}  # an id beside its readable name
SEPARATOR = gettext_lazy("; ")
LIST_SEPARATOR = gettext_lazy(", ")


@dataclass
class Kind:
    """How one object type reads. `names(ids)` maps the page's object ids (str) to names in one query;
    `name_of(event)` names an object from the record itself (no query), used when `names` has none."""

    object_type: str
    label: object
    names: Callable[[list[str]], dict] | None = None
    name_of: Callable | None = None
    fields: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)
    money: set = field(default_factory=set)
    rates: set = field(default_factory=set)
    hidden: set = field(default_factory=set)
    link: Callable | None = None

    @property
    def model(self):
        try:
            return apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return None

    def model_field(self, name: str):
        model = self.model
        if model is None:
            return None
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return found if getattr(found, "concrete", False) else None  # not a reverse relation


_REGISTRY: dict[str, Kind] = {}
_discovered = False


def register(object_type: str, *, label, **options) -> Kind:
    """Say how records of `object_type` read (see the module docstring). Registering again replaces."""
    kind = Kind(object_type=object_type, label=label, **options)
    kind.money, kind.rates, kind.hidden = set(kind.money), set(kind.rates), set(kind.hidden)
    _REGISTRY[object_type] = kind
    return kind


def _ensure_registry() -> dict[str, Kind]:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("audit_display")
    return _REGISTRY


def kinds() -> dict[str, Kind]:
    return _ensure_registry()


def kind_choices() -> list[tuple[str, str]]:
    """(object_type, kind in words) of every registered kind, in words' order."""
    return sorted(((key, str(kind.label)) for key, kind in kinds().items()), key=lambda pair: pair[1])


def kind_label(object_type: str) -> str:
    kind = kinds().get(object_type)
    return str(kind.label) if kind else _("Record")


def action_text(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action.rsplit(".", 1)[-1].replace("_", " ").capitalize()


# Helpers for the apps' modules ---------------------------------------------------------------------------------


def names_of(model, *values: str, format: Callable | None = None) -> Callable[[list[str]], dict]:
    """`names` for `register`: one query reading `values` of `model` by pk; the name is `format(*row)` or the
    values joined by a space."""

    def lookup(ids: list[str]) -> dict:
        rows = model._default_manager.filter(pk__in=ids).values_list("pk", *values)
        out = {}
        for pk, *row in rows:
            out[str(pk)] = format(*row) if format else " ".join(str(v) for v in row if v not in (None, ""))
        return out

    return lookup


def person(name: str, red_id: str) -> str:
    """An employee by name and RED ID."""
    if not red_id:
        return name
    return _("%(name)s (RED ID %(red_id)s)") % {"name": name or EMPTY, "red_id": red_id}


def quoted_title(title: str, note_id: str = "") -> str:
    """A note by its title, 《…》; its note ID when it has no title."""
    if title:
        return _("“%(title)s”") % {"title": title}
    return _("note %(note_id)s") % {"note_id": note_id} if note_id else EMPTY


def login_name(display_name: str, username: str) -> str:
    if display_name and display_name != username:
        return f"{display_name} ({username})"
    return username or display_name


def labels_of(choices) -> Callable:
    """A format for a list of choice codes: their labels joined."""
    names = dict(choices.choices) if hasattr(choices, "choices") else dict(choices)

    def fmt(value) -> str:
        values = value if isinstance(value, list | tuple) else [value]
        return str(LIST_SEPARATOR).join(str(names.get(v, v)) for v in values) or EMPTY

    return fmt


def money(value) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def rate(value) -> str:
    try:
        percent = Decimal(str(value)) * 100
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{percent:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def local_text(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


# Reading a record -----------------------------------------------------------------------------------------------


def field_label(kind: Kind | None, name: str) -> str:
    if kind and name in kind.fields:
        return str(kind.fields[name])
    model_field = kind.model_field(name) if kind else None
    if model_field is not None:
        text = str(model_field.verbose_name)
        return text[:1].upper() + text[1:]
    if name in COMMON_FIELDS:
        return str(COMMON_FIELDS[name])
    return name.replace("_", " ").capitalize()


def value_text(kind: Kind | None, name: str, value) -> str:
    """A before/after value in words."""
    if kind and name in kind.formats:
        return kind.formats[name](value) if value not in (None, "", [], {}) else EMPTY
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    model_field = kind.model_field(name) if kind else None
    choices = kind.choices.get(name) if kind else None
    if choices is None and model_field is not None and model_field.choices:
        choices = model_field.flatchoices
    if choices is not None:
        return labels_of(choices)(value)
    if kind and name in kind.rates:
        return rate(value)
    if (kind and name in kind.money) or (model_field is None and name in COMMON_MONEY):
        return money(value)
    if isinstance(model_field, models.DecimalField):
        return money(value) if model_field.decimal_places == 2 else rate(value)
    if isinstance(value, list):
        if all(isinstance(item, str | int | float | Decimal) for item in value):
            return str(LIST_SEPARATOR).join(str(item) for item in value)
        return ngettext("%(n)s item", "%(n)s items", len(value)) % {"n": len(value)}
    if isinstance(value, dict):
        return ngettext("%(n)s setting", "%(n)s settings", len(value)) % {"n": len(value)}
    if isinstance(value, datetime):
        return local_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_INSTANT.match(value):
        try:
            return local_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _changes(kind: Kind | None, before: dict, after: dict, object_name: str = "") -> list[dict]:
    """The compact before → after: a short `before` (a state change) names what changed; the rest of `after` is
    context, not a change. A deletion's last state (no `after`), empty values on both sides and a new object's name
    (already the object's) are left out."""
    if before and not after and len(before) > 2:
        return []
    keys = list(before) if 0 < len(before) <= 2 else list(dict.fromkeys([*before, *after]))
    hidden = HIDDEN | (kind.hidden if kind else set())
    changes = []
    for key in keys:
        if key in hidden or (key in before and key in after and before[key] == after[key]):
            continue
        if _blank(before.get(key)) and _blank(after.get(key)):
            continue
        if key == "name" and key not in before and object_name and str(after[key]) in object_name:
            continue
        changes.append(
            {
                "field": field_label(kind, key),
                "before": value_text(kind, key, before[key]) if key in before else None,
                "after": value_text(kind, key, after[key]) if key in after else None,
            }
        )
    return changes


def change_text(change: dict) -> str:
    if change["before"] is not None and change["after"] is not None:
        return _("%(field)s: %(before)s → %(after)s") % change
    if change["after"] is not None:
        return _("%(field)s: %(after)s") % change
    return _("%(field)s: %(before)s (removed)") % change


def _fallback_name(kind: Kind | None, event) -> str:
    for snapshot in (event.before or {}, event.after or {}):
        if isinstance(snapshot, dict) and snapshot.get("name"):
            return str(snapshot["name"])
    if event.object_id:
        return _("no. %(id)s (no longer exists)") % {"id": event.object_id}
    return ""


def _object_names(events: list) -> dict[tuple[str, str], str]:
    """Every object's name on the page: one query per kind present, whatever the number of records."""
    wanted: dict[str, set[str]] = defaultdict(set)
    registry = kinds()
    for event in events:
        kind = registry.get(event.object_type)
        if kind and kind.names and event.object_id and event.object_id.isdigit():
            wanted[event.object_type].add(event.object_id)
    names = {}
    for object_type, ids in wanted.items():
        for pk, name in registry[object_type].names(sorted(ids)).items():
            names[(object_type, str(pk))] = name
    return names


def actor_text(event) -> str:
    return str(event.actor) if event.actor_id and event.actor else _("System")


def describe(events: Iterable) -> list:
    """Set, on each record, what a reader sees: `label` (the action), `kind_label`, `object_name`, `object_text`,
    `object_url`, `actor_name`, `agency_name`, `changes` [{field, before, after}], `changes_text` and `summary`.
    Reads every object name of the records in one query per kind. Returns the records as a list."""
    events = list(events)
    names = _object_names(events)
    registry = kinds()
    for event in events:
        kind = registry.get(event.object_type)
        event.label = action_text(event.action)
        event.kind_label = str(kind.label) if kind else _("Record")
        name = names.get((event.object_type, event.object_id))
        if name is None and kind and kind.name_of:
            name = kind.name_of(event)
        if name is None:
            name = _fallback_name(kind, event)
        event.object_name = name
        event.object_text = f"{event.kind_label} · {name}" if name else event.kind_label
        event.object_url = (
            kind.link(event) if kind and kind.link and (event.object_type, event.object_id) in names else ""
        )
        before = event.before if isinstance(event.before, dict) else {}
        after = event.after if isinstance(event.after, dict) else {}
        event.changes = _changes(kind, before, after, name)
        event.changes_text = str(SEPARATOR).join(change_text(change) for change in event.changes)
        event.actor_name = actor_text(event)
        event.agency_name = event.via_agency.name if event.via_agency_id and event.via_agency else ""
        event.summary = summary(event)
    return events


def summary(event) -> str:
    """One sentence: who did what to which object, with what changed and why."""
    actor = event.actor_name
    if event.agency_name:
        actor = _("%(actor)s (via agency %(agency)s)") % {"actor": actor, "agency": event.agency_name}
    facts = {"actor": actor, "action": event.label, "object": event.object_text, "changes": event.changes_text}
    if event.changes_text:
        text = _("%(actor)s · %(action)s · %(object)s: %(changes)s") % facts
    else:
        text = _("%(actor)s · %(action)s · %(object)s") % facts
    if event.reason:
        text = _("%(text)s. Reason: %(reason)s") % {"text": text, "reason": event.reason}
    return text


# The export -------------------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    gettext_lazy("Time"),
    gettext_lazy("Who"),
    gettext_lazy("Agency"),
    gettext_lazy("Action"),
    gettext_lazy("Object"),
    gettext_lazy("Before → after"),
    gettext_lazy("Reason"),
)
EXPORT_CHUNK = 500


def export_row(event) -> list:
    return [
        event.at,
        event.actor_name,
        event.agency_name,
        event.label,
        event.object_text,
        event.changes_text,
        event.reason,
    ]


def export_rows(queryset) -> Iterable[list]:
    """The records as export rows, read in chunks of EXPORT_CHUNK (constant memory; a constant number of queries
    per chunk)."""
    last = None
    queryset = queryset.order_by("-at", "-id")
    while True:
        chunk = queryset
        if last is not None:
            at, pk = last
            chunk = chunk.filter(models.Q(at__lt=at) | models.Q(at=at, id__lt=pk))
        events = describe(chunk[:EXPORT_CHUNK])
        for event in events:
            yield export_row(event)
        if len(events) < EXPORT_CHUNK:
            return
        last = (events[-1].at, events[-1].pk)


def export_response(kind: str, queryset, enterprise):
    """The filtered records as a streamed CSV (UTF-8 with BOM) or XLSX download, in the request's language and
    Asia/Shanghai time."""
    from django.utils import translation

    from kos_platform import clock, exports

    language = translation.get_language()
    header = [str(label) for label in EXPORT_COLUMNS]

    def rows():
        with translation.override(language):
            yield from export_rows(queryset)

    stem = _("audit-log-%(enterprise)s-%(date)s") % {"enterprise": enterprise.name, "date": clock.local_today()}
    return exports.export_response(kind, header, rows(), stem)


# The accounts app's own kinds ----------------------------------------------------------------------------------


def _member_from_record(event) -> str | None:
    """A member who is gone: the login the record names."""
    for snapshot in (event.before, event.after):
        if isinstance(snapshot, dict) and snapshot.get("user"):
            return str(snapshot["user"])
    return None


def _register_accounts() -> None:
    from axes.models import AccessAttempt

    from .models import Agency, AgencyMembership, AgencyReport, ApiKey, Enterprise, Membership, RedAccount, User

    register("accounts.enterprise", label=gettext_lazy("Enterprise"), names=names_of(Enterprise, "name"))
    register(
        "accounts.membership",
        label=gettext_lazy("Member"),
        names=names_of(Membership, "user__display_name", "user__username", format=login_name),
        name_of=_member_from_record,
        hidden={"user"},  # the object names the member
    )
    register(
        "accounts.agencyreport",
        label=gettext_lazy("Agency report"),
        names=names_of(AgencyReport, "agency__name"),
        hidden={"agency_name"},
    )
    register("accounts.agency", label=gettext_lazy("Agency"), names=names_of(Agency, "name"))
    register(
        "accounts.agencymembership",
        label=gettext_lazy("Agency staff"),
        names=names_of(
            AgencyMembership,
            "user__display_name",
            "user__username",
            "agency__name",
            format=lambda display, username, agency: f"{login_name(display, username)} @ {agency}",
        ),
        name_of=_member_from_record,
    )
    register("accounts.apikey", label=gettext_lazy("API key"), names=names_of(ApiKey, "name"))
    register(
        "accounts.user",
        label=gettext_lazy("User"),
        names=names_of(User, "display_name", "username", format=login_name),
        hidden={"username"},  # the object names the user
    )
    register(
        "accounts.redaccount",
        label=gettext_lazy("RED account"),
        names=names_of(RedAccount, "nickname", "red_id", format=person),
    )
    register(
        "axes.accessattempt",
        label=gettext_lazy("Sign-in attempt"),
        names=names_of(AccessAttempt, "username"),
        hidden={"username"},
    )


_register_accounts()
