"""Batch binding (I08, "planned" on the real platform): a CSV or XLSX of rows, each checked as the I02 form with
its proof taken from a ZIP, each sent on its own; a per-row report; valid rows go on when others fail.

The templates carry one example row under the header. Its name says 示例 (example), and a row whose name says so is
skipped, not sent: an operator who fills the rows below it and forgets to delete it sends no bogus invitation, and
the report names the skipped row."""

import csv
import io
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from rest_framework import serializers

from kos_platform import guard
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Workspace

from . import services, wording
from .api.serializers import InvitationCreateSerializer
from .choices import Mode, Position
from .proofs import MAX_PROOF_BYTES

MAX_ROWS = 500
# Column: accepted headers (the template writes the Chinese ones).
COLUMNS = {
    "mode": ("绑定模式", "mode"),
    "red_id": ("小红书号", "red_id"),
    "name": ("姓名", "name"),
    "id_number": ("身份证号码", "id_number"),
    "position": ("岗位", "position"),
    "region": ("所属区域", "region"),
    "proof": ("在职证明文件", "proof_file", "proof"),
    "commitment_signed": ("已签署承诺书", "commitment_signed"),
    "agreement_signed": ("已签署服务协议", "agreement_signed"),
}
MODE_LABELS = {"企业员工号": Mode.ENTERPRISE_OWNED, "员工个人号授权": Mode.PERSONAL_AUTHORIZED}
POSITION_LABELS = {
    "导购": Position.SHOPPING_GUIDE,
    "店长": Position.STORE_MANAGER,
    "客服": Position.CUSTOMER_SERVICE,
    "员工": Position.STAFF,
    "助理": Position.ASSISTANT,
    "主播人": Position.HOST,
}
YES = {"是", "yes", "y", "true", "1", "已签署"}
# The templates' example row: clearly an example (its name says 示例, so it is skipped on import), with an ID number
# whose GB 11643 check character is right, so it shows what a valid row looks like.
EXAMPLE_MARKERS = ("示例", "example")
TEMPLATE_ROW = [
    "企业员工号",
    "95270001",
    "李小美（示例）",
    "110105199003070025",
    "导购",
    "上海·静安",
    "limei.pdf",
    "是",
    "是",
]

FIELD_LABELS = {
    "mode": gettext_lazy("Binding mode"),
    "red_id": gettext_lazy("RED ID"),
    "name": gettext_lazy("Full name"),
    "id_number": gettext_lazy("ID number"),
    "position": gettext_lazy("Position"),
    "region": gettext_lazy("Region"),
    "proof": gettext_lazy("Employment proof"),
    "commitment_signed": gettext_lazy("Commitment letter"),
    "agreement_signed": gettext_lazy("Service agreement"),
    "non_field_errors": gettext_lazy("Row"),
}


class BatchError(Exception):
    """The file as a whole cannot be read; nothing was sent."""


class RowReportSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    red_id = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=["created", "invalid", "refused"])
    invitation_id = serializers.IntegerField(allow_null=True)
    code = serializers.CharField(allow_null=True)
    detail = serializers.CharField(allow_blank=True)
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class BatchReportSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    failed = serializers.IntegerField()
    rows = RowReportSerializer(many=True)
    skipped = serializers.ListField(
        child=serializers.IntegerField(), help_text="Rows skipped as examples (their name says 示例), by number."
    )


def is_example(row: dict) -> bool:
    """The template's example row, or a row marked like it: its name says 示例 (example)."""
    name = row.get("name", "").lower()
    return any(marker in name for marker in EXAMPLE_MARKERS)


def read_rows(table) -> list[tuple[int, dict]]:
    """The rows of a CSV or XLSX upload as (row number in the sheet, {column: text}), recognised from the content.
    Blank rows are skipped but keep their place, so the numbers are the ones the spreadsheet shows."""
    head = table.read(4)
    table.seek(0)
    if head == b"PK\x03\x04":
        try:
            sheet = load_workbook(table, read_only=True, data_only=True).worksheets[0]
        except Exception:  # openpyxl raises many kinds for a damaged workbook
            raise BatchError(_("The spreadsheet cannot be read.")) from None
        values = [
            ["" if cell is None else str(cell).strip() for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = table.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BatchError(_("The CSV file must be UTF-8 encoded.")) from None
        values = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    numbered = [(number, row) for number, row in enumerate(values, start=1) if any(row)]
    if not numbered:
        raise BatchError(_("The file has no rows."))
    header = _header(numbered[0][1])
    rows = [
        (number, {column: (row[i] if i < len(row) else "") for column, i in header.items()})
        for number, row in numbered[1:]
    ]
    if len(rows) > MAX_ROWS:
        raise BatchError(_("At most %(max)d rows per file.") % {"max": MAX_ROWS})
    return rows


def _header(cells: list[str]) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(cells):
        for column, names in COLUMNS.items():
            if cell.strip().lower() in names:
                found[column] = index
    missing = [COLUMNS[column][0] for column in COLUMNS if column not in found]
    if missing:
        raise BatchError(_("Missing columns: %(columns)s") % {"columns": "、".join(missing)})
    return found


def open_proofs(archive) -> zipfile.ZipFile | None:
    if archive is None:
        return None
    try:
        return zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise BatchError(_("The proofs file must be a ZIP archive.")) from None


def _proof_upload(proofs: zipfile.ZipFile | None, name: str):
    """The named member of the ZIP as an upload, or None; sizes are checked before anything is inflated."""
    if proofs is None or not name:
        return None
    try:
        info = proofs.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PROOF_BYTES:
        return _TooLarge(name)
    try:
        return SimpleUploadedFile(name, proofs.read(info))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        # a bad CRC, a truncated or encrypted member, an unsupported compression: this row's proof only
        return _Unreadable(name)


class _TooLarge(SimpleUploadedFile):
    """Stands for a member over 10 MB without inflating it; the proof check refuses it by its size."""

    def __init__(self, name):
        super().__init__(name, b"")
        self.size = MAX_PROOF_BYTES + 1


class _Unreadable(SimpleUploadedFile):
    """Stands for a member that cannot be extracted; the row is invalid with this message on its proof."""

    def __init__(self, name):
        super().__init__(name, b"")


def _row_data(row: dict, proofs) -> dict:
    data = {
        "mode": MODE_LABELS.get(row["mode"], row["mode"]),
        "red_id": row["red_id"],
        "name": row["name"],
        "id_number": row["id_number"],
        "position": POSITION_LABELS.get(row["position"], row["position"]),
        "region": row["region"],
        "commitment_signed": row["commitment_signed"].lower() in YES,
        "agreement_signed": row["agreement_signed"].lower() in YES,
    }
    upload = _proof_upload(proofs, row["proof"])
    if upload is not None:
        data["proof"] = upload
    return data


def _refused_cells(row: dict) -> dict[str, list[str]]:
    """Cells holding a character the input guard refuses (a file's text does not pass the request's guard)."""
    return {field: [str(guard.REFUSED_MESSAGE)] for field, value in row.items() if guard.has_refused_character(value)}


def _row_errors(form: InvitationCreateSerializer) -> dict[str, list[str]]:
    """The row's I02 errors by field (empty when valid)."""
    errors = {} if form.is_valid() else {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    if isinstance(form.initial_data.get("proof"), _Unreadable):
        errors["proof"] = [_("The file cannot be extracted from the ZIP archive.")]
    return errors


def run_batch(*, workspace: Workspace, table, proofs=None) -> dict:
    """Send one invitation per valid row; report every row (example rows are skipped and listed)."""
    rows, archive = read_rows(table), open_proofs(proofs)
    report, skipped = [], []
    for number, row in rows:
        if is_example(row):
            skipped.append(number)
            continue
        entry = {
            "row": number,
            "red_id": row["red_id"],
            "invitation_id": None,
            "code": None,
            "detail": "",
            "fields": {},
            "facts": {},
        }
        errors = _refused_cells(row)
        if not errors:
            form = InvitationCreateSerializer(data=_row_data(row, archive))
            errors = _row_errors(form)
        if errors:
            entry.update(status="invalid", code="invalid", fields=errors)
        else:
            try:
                with transaction.atomic():
                    invitation = services.invitation_create(
                        workspace=workspace,
                        red_account=form.validated_data["red_id"],
                        mode=form.validated_data["mode"],
                        details=form.details(),
                    )
                entry.update(status="created", invitation_id=invitation.pk)
            except RuleViolation as violation:
                entry.update(
                    status="refused", code=violation.code, detail=violation.message, facts=dict(violation.facts)
                )
        report.append(entry)
    created = sum(entry["status"] == "created" for entry in report)
    return {
        "total": len(report),
        "created": created,
        "failed": len(report) - created,
        "rows": report,
        "skipped": skipped,
    }


def refusal_of(entry: dict) -> RuleViolation | None:
    """The rule that refused a report row, to put it in words (wording.violation_context)."""
    if entry["status"] != "refused":
        return None
    return RuleViolation(entry["code"], **entry.get("facts", {}))


def row_details(entry: dict) -> str:
    """Why a row failed, in words: each field's label and messages, or the refusal with its reasons and dates."""
    if refusal := refusal_of(entry):
        return wording.violation_text(refusal)
    return "; ".join(
        f"{FIELD_LABELS.get(field, _('Row'))}: {' '.join(messages)}" for field, messages in entry["fields"].items()
    )


def report_csv(report: dict) -> str:
    """The per-row report as a CSV the brand can open in Excel (UTF-8 with BOM), in the reader's language."""
    results = {"created": _("Sent for platform review"), "invalid": _("Invalid"), "refused": _("Refused by a rule")}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("RED ID"), _("Result"), _("Invitation"), _("Details")])
    for entry in report["rows"]:
        writer.writerow(
            [entry["row"], entry["red_id"], results[entry["status"]], entry["invitation_id"] or "", row_details(entry)]
        )
    for number in report.get("skipped", []):
        writer.writerow([number, "", _("Example row, skipped"), "", ""])
    return "\ufeff" + out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([names[0] for names in COLUMNS.values()])
    writer.writerow(TEMPLATE_ROW)
    return "\ufeff" + out.getvalue()


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "batch"
    sheet.append([names[0] for names in COLUMNS.values()])
    sheet.append(TEMPLATE_ROW)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")  # the example row, greyed
    for column in "ABCDEFGHI":
        sheet.column_dimensions[column].width = 18
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
