"""The data centre's exports: the per-employee or per-note table as the page shows it, with its header in the
active language and a file name with the range."""

from collections.abc import Iterator
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .selectors import Scope, employees, notes_table

EMPLOYEE_COLUMNS = (
    ("red_id", gettext_lazy("RED ID")),
    ("nickname", gettext_lazy("Nickname")),
    ("holder_name", gettext_lazy("Employee name")),
    ("position_label", gettext_lazy("Position")),
    ("region", gettext_lazy("Region")),
    ("notes", gettext_lazy("Notes published")),
    ("exposure", gettext_lazy("Exposure")),
    ("reads", gettext_lazy("Reads")),
    ("engagement", gettext_lazy("Engagement")),
    ("leads", gettext_lazy("Leads")),
    ("spend", gettext_lazy("Ad spend (¥)")),
    ("orders", gettext_lazy("Orders")),
    ("gmv", gettext_lazy("GMV (¥)")),
    ("commission", gettext_lazy("Commission (¥)")),
)
NOTE_COLUMNS = (
    ("note_id", gettext_lazy("Note ID")),
    ("title", gettext_lazy("Note title")),
    ("type_label", gettext_lazy("Note type")),
    ("red_id", gettext_lazy("RED ID")),
    ("published_at", gettext_lazy("Published at")),
    ("exposure", gettext_lazy("Exposure")),
    ("reads", gettext_lazy("Reads")),
    ("engagement", gettext_lazy("Engagement")),
    ("leads", gettext_lazy("Leads")),
    ("read_uv", gettext_lazy("Read UV")),
    ("play_5s_rate", gettext_lazy("5 s play rate")),
    ("read_3s_rate", gettext_lazy("3 s read rate")),
    ("avg_view_seconds", gettext_lazy("Average view time (s)")),
    ("spend", gettext_lazy("Ad spend (¥)")),
)


def export_rows(table: str, scope: Scope, start: date, end: date, **filters) -> tuple[list[str], Iterator, str]:
    """The `table` ("employees" or "notes") as an export: its header in the active language, its rows (streamed,
    labels read now) and the file name without extension, e.g. 数据中心-员工-2026-11-01_2026-11-30. `filters`
    are the table's own (q, position, region, type, ordering)."""
    if table == "employees":
        rows, columns = employees(scope.enterprise, start, end, **filters), EMPLOYEE_COLUMNS
        stem = _("data-centre-employees-%(from)s_%(to)s")
    else:
        rows, columns = notes_table(scope, start, end, **filters), NOTE_COLUMNS
        stem = _("data-centre-notes-%(from)s_%(to)s")
    names = [name for name, _label in columns]
    body = (tuple(row[name] for name in names) for row in rows)
    return [str(label) for _name, label in columns], body, stem % {"from": start, "to": end}
