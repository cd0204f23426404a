import csv
import io
import tracemalloc
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import openpyxl
import pytest
from django.utils import timezone
from django.utils.safestring import mark_safe

from kos_platform.exports import CHUNK_SIZE, export_response, stream_csv, stream_xlsx

MEMORY_LIMIT = 10 * 1024 * 1024
UTC_NOON = datetime(2024, 3, 1, 16, 30, 15, tzinfo=UTC)  # 2024-03-02 00:30:15 in Asia/Shanghai


def _workbook(chunks):
    return openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))


def _csv_rows(chunks) -> list[list[str]]:
    data = b"".join(chunks)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _generated_rows(count: int):
    # One column: tracemalloc makes every allocation many times slower, and row width doesn't change the memory
    # profile (nothing is kept per row); the value types are covered by the round-trip tests.
    return ((i,) for i in range(count))


def _peak_traced_memory(chunks) -> int:
    tracemalloc.start()
    try:
        for _chunk in chunks:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- XLSX ------------------------------------------------------------------------------------------------


def test_xlsx_round_trips_values_and_types():
    header = ["编号", "名称", "金额", "时间", "日期", "备注"]
    rows = [
        (1, "小红书达人", Decimal("12.50"), UTC_NOON, date(2024, 3, 2), None),
        (-7, 'a<b & c>"d"', 3.25, UTC_NOON, None, "x\ty\nz"),
        (123456789012345678, "bad\x00con\x1ftrol\x0bchars\ud800\uffff", True, None, None, None),
    ]

    sheet = _workbook(stream_xlsx(header, rows)).active

    assert [cell.value for cell in sheet[1]] == header
    first, second, third = sheet.iter_rows(min_row=2, values_only=True)
    assert first == (1, "小红书达人", 12.5, datetime(2024, 3, 2, 0, 30, 15), datetime(2024, 3, 2), None)
    assert type(first[0]) is int
    assert second[:4] == (-7, 'a<b & c>"d"', 3.25, datetime(2024, 3, 2, 0, 30, 15))
    assert second[5] == "x\ty\nz"
    # Integers beyond Excel's 15 significant digits stay exact as text; characters illegal in XML are dropped.
    assert third[:3] == ("123456789012345678", "badcontrolchars", True)


def test_xlsx_header_is_bold_and_first_row_frozen():
    sheet = _workbook(stream_xlsx(["a", "b"], [(1, 2)])).active

    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"


def test_xlsx_sheet_name_is_sanitised():
    workbook = _workbook(stream_xlsx(["a"], [], sheet_name="达人[2024]/Q1:报表*?\\" + "长" * 40))

    assert workbook.sheetnames == ["达人_2024__Q1_报表___" + "长" * 14]
    assert len(workbook.sheetnames[0]) == 31


def test_xlsx_is_excel_compatible_zip_without_zip64_headers():
    data = b"".join(stream_xlsx(["a"], [(1,)]))

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        ]
        assert {info.extract_version for info in archive.infolist()} == {20}


def test_xlsx_protects_literal_ooxml_escapes():
    data = b"".join(stream_xlsx(["a"], [("_x0041_",)]))

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b">_x005F_x0041_<" in archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_yields_chunks_not_rows():
    chunks = list(stream_xlsx(["n", "text"], ((i, f"行 {i}") for i in range(20_000))))

    assert 1 < len(chunks) < 50


# --- CSV -------------------------------------------------------------------------------------------------


def test_csv_has_bom_crlf_and_formats_values():
    data = b"".join(stream_csv(["编号", "名称"], [(1, "小红书"), (None, Decimal("9.90"))]))

    assert data == "\ufeff编号,名称\r\n1,小红书\r\n,9.90\r\n".encode()


def test_csv_formats_dates_in_local_time():
    rows = _csv_rows(stream_csv(["at", "on"], [(UTC_NOON, date(2024, 3, 2))]))

    assert rows[1] == ["2024-03-02 00:30:15", "2024-03-02"]


def test_csv_uses_the_time_zone_active_when_called():
    with timezone.override("UTC"):
        chunks = stream_csv(["at"], [(UTC_NOON,)])

    assert _csv_rows(chunks)[1] == ["2024-03-01 16:30:15"]


def test_csv_neutralises_formula_injection_but_not_numbers():
    values = ["=SUM(A1:A9)", "+1", "-1", "@cmd", "\tx", "\rx", "plain", -5, Decimal("-1.50"), -2.5]

    rows = _csv_rows(stream_csv([str(i) for i in range(len(values))], [values]))

    assert rows[1] == ["'=SUM(A1:A9)", "'+1", "'-1", "'@cmd", "'\tx", "'\rx", "plain", "-5", "-1.50", "-2.5"]


def test_csv_formats_str_subclasses_and_other_objects_as_text():
    rows = _csv_rows(stream_csv(["a", "b"], [(mark_safe("=1+1"), UUID(int=1))]))

    assert rows[1] == ["'=1+1", "00000000-0000-0000-0000-000000000001"]


def test_csv_yields_chunks_of_about_64_kb():
    chunks = list(stream_csv(["n", "text"], ((i, f"行 {i}") for i in range(20_000))))

    assert len(chunks) > 1
    assert all(len(chunk) >= CHUNK_SIZE for chunk in chunks[:-1])
    assert all(len(chunk) < 2 * CHUNK_SIZE for chunk in chunks)


# --- Constant memory -------------------------------------------------------------------------------------


@pytest.mark.parametrize("writer", [stream_csv, stream_xlsx], ids=["csv", "xlsx"])
def test_streaming_200k_rows_keeps_memory_constant(writer):
    assert _peak_traced_memory(writer(["n"], _generated_rows(200_000))) < MEMORY_LIMIT


# --- HTTP response ---------------------------------------------------------------------------------------


def test_export_response_csv_headers_for_chinese_stem():
    response = export_response("csv", ["a"], [(1,)], "达人报表 2024")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2024.csv\"; filename*=UTF-8''%E8%BE%BE%E4%BA%BA%E6%8A%A5%E8%A1%A8%202024.csv"
    )
    assert b"".join(response.streaming_content) == b"\xef\xbb\xbfa\r\n1\r\n"


def test_export_response_xlsx_streams_a_workbook():
    response = export_response("xlsx", ["名称"], [("小红书",)], "报表")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''%E6%8A%A5%E8%A1%A8.xlsx"
    )
    assert _workbook(response.streaming_content).active["A2"].value == "小红书"


def test_export_response_rejects_unknown_kind():
    with pytest.raises(ValueError, match="pdf"):
        export_response("pdf", ["a"], [], "report")
