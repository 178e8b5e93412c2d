"""Spreadsheet files as stewards save them: Swedish Excel's Windows-1252 CSV,
workbooks where CSV was meant, a header without rows, and names with markup
in them. Each is read with a warning or refused with what to do, and a
refused file changes nothing."""
from __future__ import annotations

import io
import zipfile

import pytest

from graph.ingest.importer import import_file
from tests.support.csv_files import BASE, graph_triples, partnership_rows, total, write_csv

HEADER = "kommun;partnerkommun;partnerland;typ\r\n"
ROWS = "Ljusdal;Larvik;Norge;vänort\r\nBorlänge;Ærøskøbing;Danmark;vänort\r\n"


def xlsx_bytes() -> bytes:
    """A workbook as Excel writes one: a zip of XML parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                      'openxmlformats.org/package/2006/content-types"/>')
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
    return buffer.getvalue()


def ods_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def test_swedish_excel_windows_1252_is_read_with_a_warning_on_the_row_of_its_first_letter(store, tmp_path):
    path = tmp_path / "vanorter.csv"
    path.write_bytes((HEADER + ROWS).encode("cp1252"))
    report = import_file(store, path, agent="test")
    assert report.written, report.text()
    [warning] = report.warnings
    # The header and row 2 have no å, ä or ö before "vänort" on row 2.
    assert warning.row == 2 and "Windows-1252" in warning.message and "CSV UTF-8" in warning.fix
    labels = {q.object.value for q in store.quads(BASE + "graph/vanorter")
              if q.predicate.value.endswith("prefLabel")}
    assert "Ærøskøbing" in labels
    assert ("Borlänge", BASE + "municipality/se/borlange") in {(m.given, m.iri) for m in report.matches}
    assert "warning: row 2:" in report.text()


def test_a_byte_that_is_neither_utf8_nor_windows_1252_is_refused_at_its_row(store, tmp_path):
    path = tmp_path / "vanorter.csv"
    path.write_bytes(HEADER.encode() + "Ljusdal;Larvik;Norge;vänort\r\n".encode()
                     + b"Borl\x81nge;Frederikshavn;Danmark;v\xc3\xa4nort\r\n")
    before = (total(store), store.data_version)
    report = import_file(store, path, agent="test")
    [problem] = report.problems
    assert problem.row == 3 and "not UTF-8" in problem.message and "CSV UTF-8" in problem.fix
    assert (total(store), store.data_version) == before


def test_a_file_mixing_utf8_and_windows_1252_is_refused_at_the_row_of_the_stray_byte(store, tmp_path):
    path = tmp_path / "vanorter.csv"
    # A quoted note with a line break: row 3 starts on the file's fourth line.
    header = HEADER.replace("typ", "typ;anteckningar")
    path.write_bytes((header + 'Ljusdal;Larvik;Norge;vänort;"två\r\nrader"\r\n').encode()
                     + "Borlänge;Frederikshavn;Danmark;vänort;\r\n".encode("cp1252"))
    report = import_file(store, path, agent="test")
    [problem] = report.problems
    assert problem.row == 3 and "mixes UTF-8" in problem.message and "Borlänge" in problem.message


@pytest.mark.parametrize("name, data, what", [
    ("partners.xlsx", xlsx_bytes(), "Excel workbook"),
    ("partners.csv", xlsx_bytes(), "Excel workbook"),
    ("partners.csv", XLS, "Excel workbook (.xls"),
    ("partners.xls", XLS, "Excel workbook (.xls"),
    ("partners.csv", ods_bytes(), "LibreOffice"),
# Named, not shown: a zip holds the time it was made, and every worker
# process must collect the same test names.
], ids=["xlsx", "xlsx-as-csv", "xls-as-csv", "xls", "ods-as-csv"])
def test_a_workbook_is_recognised_and_the_steward_told_how_to_save_it_as_csv(store, tmp_path, name, data, what):
    path = tmp_path / name
    path.write_bytes(data)
    before = store.data_version
    report = import_file(store, path, agent="test")
    [problem] = report.problems
    assert what in problem.message and "not CSV" in problem.message
    assert "UTF-8" in problem.fix and "Save As" in problem.fix
    assert "not UTF-8" not in problem.message and store.data_version == before


def test_a_header_without_rows_is_a_problem_with_a_fix_not_nothing_written(store, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text(HEADER, encoding="utf-8")
    report = import_file(store, path, agent="test")
    [problem] = report.problems
    assert problem.message.startswith("The file has no rows") and "Add a row" in problem.fix
    assert "already holds" not in report.text() and not report.written


def test_a_name_with_markup_is_kept_as_written_with_a_warning(store, tmp_path):
    rows = partnership_rows(3, broken=False)
    rows[1]["partner_municipality"] = "<b>Partnerort</b> 1"
    rows[2]["notes"] = "<script>alert(1)</script>"
    report = import_file(store, write_csv(tmp_path / "partners.csv", rows), agent="test")
    assert report.written, report.text()
    assert {(w.row, w.column) for w in report.warnings} == {(3, "partner_municipality"), (4, "notes")}
    assert all("<b>" in w.message or "<script>" in w.message for w in report.warnings)
    labels = {o for _, p, o in graph_triples(store) if p.endswith("prefLabel>")}
    assert any("<b>Partnerort</b> 1" in label for label in labels)


def test_less_than_signs_that_are_no_tags_give_no_warning(store, tmp_path):
    rows = partnership_rows(2, broken=False)
    rows[0]["notes"] = "Budget < 5000 kr, fler än 3 <3"
    report = import_file(store, write_csv(tmp_path / "partners.csv", rows), agent="test")
    assert report.written and report.warnings == []
