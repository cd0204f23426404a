"""Batch binding (I08, "planned" on the real platform): a CSV or XLSX of rows, each checked as the I02 form with
its proof taken from a ZIP, each sent on its own; a per-row report; valid rows go on when others fail."""

import csv
import io
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from rest_framework import serializers

from kos_platform import guard
from kos_platform.errors import RuleViolation
from kos_platform.tenancy import Workspace

from . import services
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
TEMPLATE_ROW = ["企业员工号", "95270001", "李小美", "11010119900101001X", "导购", "上海·静安", "limei.pdf", "是", "是"]


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
    """Send one invitation per valid row; report every row."""
    rows, archive = read_rows(table), open_proofs(proofs)
    report = []
    for number, row in rows:
        entry = {
            "row": number,
            "red_id": row["red_id"],
            "invitation_id": None,
            "code": None,
            "detail": "",
            "fields": {},
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
                entry.update(status="refused", code=violation.code, detail=violation.message)
        report.append(entry)
    created = sum(entry["status"] == "created" for entry in report)
    return {"total": len(report), "created": created, "failed": len(report) - created, "rows": report}


def report_csv(report: dict) -> str:
    """The per-row report as a CSV the brand can open in Excel (UTF-8 with BOM), in the reader's language."""
    results = {"created": _("Sent for platform review"), "invalid": _("Invalid"), "refused": _("Refused by a rule")}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("RED ID"), _("Result"), _("Invitation"), _("Code"), _("Details")])
    for entry in report["rows"]:
        details = (
            "; ".join(f"{field}: {' '.join(messages)}" for field, messages in entry["fields"].items())
            or entry["detail"]
        )
        writer.writerow(
            [
                entry["row"],
                entry["red_id"],
                results[entry["status"]],
                entry["invitation_id"] or "",
                entry["code"] or "",
                details,
            ]
        )
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
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
