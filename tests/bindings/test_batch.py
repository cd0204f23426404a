"""Batch binding (I08): a CSV or XLSX of rows plus a ZIP of proofs; each row checked as the I02 form and sent on
its own, with a per-row report whose row numbers are the spreadsheet's (the header is row 1)."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from bindings.batch import TEMPLATE_ROW, template_csv, template_xlsx
from bindings.models import Invitation
from bindings.proofs import MAX_PROOF_BYTES

from ..factories import RedAccountFactory, valid_id_number
from .helpers import media_files, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

# The template's header (the Chinese names; the English ones are accepted too).
HEADER = ["绑定模式", "小红书号", "姓名", "身份证号码", "岗位", "所属区域"]
HEADER += ["在职证明文件", "已签署承诺书", "已签署服务协议"]


def row(red_id, name, id_number, proof, *, mode="员工个人号授权", position="导购"):
    return [mode, red_id, name, id_number, position, "上海·静安", proof, "是", "是"]


def as_csv(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile("batch.csv", ("\ufeff" + out.getvalue()).encode(), content_type="text/csv")


def as_xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("batch.xlsx", out.getvalue(), content_type="application/octet-stream")


def as_zip(members: dict[str, bytes]) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return SimpleUploadedFile("proofs.zip", out.getvalue(), content_type="application/zip")


@pytest.fixture
def accounts(db):
    """A clean account, another clean one, and one that has opened a shop (A02)."""
    return {
        "clean": RedAccountFactory(red_id="60000001", real_name="赵一"),
        "other": RedAccountFactory(red_id="60000002", real_name="钱二"),
        "shop": RedAccountFactory(red_id="60000003", real_name="孙三", has_shop=True),
    }


@pytest.fixture
def post_batch(world):
    client = world.client("operator")
    url = f"/api/v1/enterprises/{world.enterprise.pk}/invitations/batch/"

    def post(table, proofs=None):
        data = {"file": table}
        if proofs is not None:
            data["proofs"] = proofs
        return client.post(url, data, format="multipart")

    return post


def three_rows():
    return [
        HEADER,
        row("60000001", "赵一", valid_id_number(11), "zhao.png"),
        row("60000002", "钱二", "110101199001010010", "qian.pdf"),  # wrong check digit
        row("60000003", "孙三", valid_id_number(13), "sun.png"),
    ]


PROOFS = {"zhao.png": png_bytes(), "qian.pdf": pdf_bytes(), "sun.png": png_bytes()}


@pytest.mark.parametrize("build", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_i08_batch_reports_each_row_and_valid_rows_go_on(world, accounts, post_batch, build):
    response = post_batch(build(three_rows()), as_zip(PROOFS))

    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["total"], report["created"], report["failed"]) == (3, 1, 2)
    by_row = {entry["row"]: entry for entry in report["rows"]}
    assert sorted(by_row) == [2, 3, 4]
    created = by_row[2]
    assert (created["status"], created["red_id"], created["code"]) == ("created", "60000001", None)
    invitation = Invitation.objects.get()
    assert created["invitation_id"] == invitation.pk
    assert (invitation.status, invitation.enterprise, invitation.red_account) == (
        "pending_review",
        world.enterprise,
        accounts["clean"],
    )
    assert (invitation.mode, invitation.position, invitation.name) == ("personal_authorized", "shopping_guide", "赵一")
    invalid = by_row[3]
    assert (invalid["status"], invalid["code"], list(invalid["fields"])) == ("invalid", "invalid", ["id_number"])
    refused = by_row[4]
    assert (refused["status"], refused["code"], refused["invitation_id"]) == ("refused", "account_not_eligible", None)
    assert refused["detail"]


@pytest.mark.parametrize("build", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_i08_batch_row_numbers_are_the_spreadsheet_rows_even_with_blank_rows(accounts, post_batch, build):
    rows = three_rows()
    rows.insert(2, [""] * len(HEADER))  # row 3 left blank in the sheet

    report = post_batch(build(rows), as_zip(PROOFS)).json()

    assert [(entry["row"], entry["red_id"], entry["status"]) for entry in report["rows"]] == [
        (2, "60000001", "created"),
        (4, "60000002", "invalid"),
        (5, "60000003", "refused"),
    ]


def test_i08_batch_zip_member_over_10_mb_is_refused_for_its_row_without_inflating_it(accounts, post_batch, monkeypatch):
    huge = b"%PDF-1.4\n" + b"0" * MAX_PROOF_BYTES + b"\n%%EOF\n"  # deflates to a few KB
    proofs = as_zip({"zhao.png": png_bytes(), "huge.pdf": huge})
    rows = [
        HEADER,
        row("60000001", "赵一", valid_id_number(11), "zhao.png"),
        row("60000002", "钱二", valid_id_number(12), "huge.pdf"),
    ]
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)

    report = post_batch(as_csv(rows), proofs).json()

    assert [(entry["row"], entry["status"]) for entry in report["rows"]] == [(2, "created"), (3, "invalid")]
    assert list(report["rows"][1]["fields"]) == ["proof"]
    assert "huge.pdf" not in opened and "zhao.png" in opened


def test_i08_batch_row_without_its_proof_is_invalid(accounts, post_batch):
    rows = [HEADER, row("60000001", "赵一", valid_id_number(11), "missing.png")]

    report = post_batch(as_csv(rows), as_zip({})).json()

    assert report["rows"][0]["status"] == "invalid" and list(report["rows"][0]["fields"]) == ["proof"]


def test_i08_batch_duplicate_rows_meet_the_one_open_invitation_rule(accounts, post_batch):
    rows = [HEADER, *[row("60000001", "赵一", valid_id_number(11), "zhao.png")] * 2]

    report = post_batch(as_csv(rows), as_zip(PROOFS)).json()

    assert [(entry["status"], entry["code"]) for entry in report["rows"]] == [
        ("created", None),
        ("refused", "duplicate_open_invitation"),
    ]


@pytest.mark.parametrize("build", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_i08_batch_file_missing_columns_is_400(world, post_batch, unchanged, build):
    rows = [HEADER[:3], ["员工个人号授权", "60000001", "赵一"]]
    files = media_files()

    with unchanged():
        response = post_batch(build(rows), as_zip(PROOFS))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and list(response.json()["fields"]) == ["file"]
    assert "身份证号码" in response.json()["fields"]["file"][0]
    assert media_files() == files


@pytest.mark.parametrize(
    "table, proofs",
    [
        pytest.param(SimpleUploadedFile("x.csv", "姓名\n李".encode("gbk")), None, id="csv_not_utf8"),
        pytest.param(SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken"), None, id="damaged_xlsx"),
        pytest.param(as_csv([HEADER]), SimpleUploadedFile("p.zip", b"not a zip"), id="proofs_not_a_zip"),
        pytest.param(SimpleUploadedFile("x.csv", b"\n\n"), None, id="no_rows"),
    ],
)
def test_i08_batch_unreadable_files_are_400(post_batch, unchanged, table, proofs):
    with unchanged():
        response = post_batch(table, proofs)

    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) in (["file"], ["proofs"])


def test_i08_batch_template_has_every_column():
    assert next(csv.reader(io.StringIO(template_csv().lstrip("\ufeff")))) == HEADER
    assert len(TEMPLATE_ROW) == len(HEADER)
    assert template_xlsx()[:4] == b"PK\x03\x04"


def test_i08_batch_damaged_zip_member_is_invalid_for_its_row_only(accounts, post_batch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("zhao.png", png_bytes())
        archive.writestr("qian.pdf", pdf_bytes())
    damaged = bytearray(out.getvalue())
    damaged[30 + len("zhao.png") + 20] ^= 0xFF  # a byte inside the first stored member: its CRC no longer matches
    rows = [
        HEADER,
        row("60000001", "赵一", valid_id_number(11), "zhao.png"),
        row("60000002", "钱二", valid_id_number(12), "qian.pdf"),
    ]

    response = post_batch(as_csv(rows), SimpleUploadedFile("proofs.zip", bytes(damaged)))

    assert response.status_code == 200, response.content
    report = response.json()["rows"]
    assert [(entry["row"], entry["status"]) for entry in report] == [(2, "invalid"), (3, "created")]
    assert list(report[0]["fields"]) == ["proof"]


def test_i08_batch_cells_with_nul_or_controls_are_invalid_rows_not_a_server_error(accounts, post_batch):
    rows = [
        HEADER,
        row("6000\x000001", "赵一", valid_id_number(11), "zhao.png"),
        row("60000002", "钱\u202e二", valid_id_number(12), "qian.pdf"),
        row("60000003", "孙三", valid_id_number(13), "sun\x00.png"),
    ]

    response = post_batch(as_csv(rows), as_zip(PROOFS))

    assert response.status_code == 200, response.content
    by_row = {entry["row"]: entry for entry in response.json()["rows"]}
    assert [by_row[n]["status"] for n in (2, 3, 4)] == ["invalid"] * 3
    assert "red_id" in by_row[2]["fields"] and "name" in by_row[3]["fields"]
    assert not Invitation.objects.exists()
