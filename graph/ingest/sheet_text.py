"""The bytes of a steward's spreadsheet file as text rows: which encoding it
is in, whether it is a CSV file at all, and which delimiter it uses.

Stewards save from Excel or LibreOffice, so the mistakes are known ones: a
workbook (.xlsx, .xls, .ods) where CSV was meant, and Swedish Excel's "CSV
(semikolonavgränsad)", which is Windows-1252, not UTF-8. Such a file is read,
with a warning, when it decodes as Windows-1252 and holds letters of the
languages the templates are written in; anything else that is not UTF-8 is
refused at the row holding the first byte that is not."""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from graph.ingest.report import Problem

# Letters a Windows-1252 file from a Nordic or German spreadsheet holds, and
# a UTF-8 file misread as Windows-1252 does not (there they come in pairs
# such as "Ã¤").
_OWN_LETTERS = re.compile("[åäöÅÄÖæøÆØüÜéÉ]")
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf\u2010-\u203a\u0152-\u0178\u20ac\u2122]")
_CHUNK = 1 << 20


@dataclass
class SheetText:
    """How to read a file's bytes as rows, or why it cannot be read."""
    data: bytes
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    problem: Problem | None = None
    warnings: list[Problem] = field(default_factory=list)

    def rows(self, advance: Callable[[int], None] | None = None) -> Iterator[list[str]]:
        """The file's rows, cells as written; read as they are needed, so
        that a large file is never held as text. `advance` hears how many
        bytes each read took."""
        data = io.BytesIO(self.data) if advance is None else _CountedBytes(self.data, advance)
        text = io.TextIOWrapper(data, encoding=self.encoding, newline="")
        return csv.reader(text, delimiter=self.delimiter)


class _CountedBytes(io.BytesIO):
    """Bytes that tell how much of them has been read."""

    def __init__(self, data: bytes, advance: Callable[[int], None]) -> None:
        super().__init__(data)
        self._advance = advance

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self._advance(len(chunk))
        return chunk

    def read1(self, size: int | None = -1) -> bytes:
        chunk = super().read1(size)
        self._advance(len(chunk))
        return chunk


def sheet_text(data: bytes) -> SheetText:
    """The encoding and delimiter of `data`, with a warning where the
    encoding was a guess, or the problem that stops it being read."""
    sheet = SheetText(data)
    workbook = _workbook(data)
    if workbook:
        sheet.problem = Problem(workbook, row=1)
        return sheet
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sheet.encoding = "utf-16"
        sheet.warnings.append(Problem("utf16"))
    else:
        bad = _first_bad_byte(data, "utf-8")
        if bad is not None:
            row = row_of_byte(data, bad)
            windows = _windows_1252(data)
            if windows == "read":
                sheet.encoding = "cp1252"
                sheet.warnings.append(Problem("windows_1252", {"word": _word_at(data, bad)}, row=row))
            else:
                sheet.problem = Problem("mixed_encoding" if windows == "mixed" else "not_utf8",
                                        {"byte": bad + 1, "hex": f"{data[bad]:02X}",
                                         "word": _word_at(data, bad)}, row=row)
                return sheet
    sheet.delimiter = _delimiter(_first_line(sheet))
    return sheet


def _workbook(data: bytes) -> str | None:
    """Which kind of workbook a file is (the key of its message, which says
    how to save it as CSV); None for anything else."""
    if data.startswith(b"PK\x03\x04"):
        return "ods_workbook" if b"opendocument.spreadsheet" in data[:200] else "xlsx_workbook"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls_workbook"
    return None


def _first_bad_byte(data: bytes, encoding: str) -> int | None:
    """Where `data` stops being `encoding`, or None if it is that throughout.
    Decoded a piece at a time, so that a large file is never held as text."""
    decoder = codecs.getincrementaldecoder(encoding)()
    for start in range(0, max(len(data), 1), _CHUNK):
        # The decoder keeps an unfinished character from the previous piece,
        # which the error's position counts in.
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(data[start:start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as error:
            return max(start - pending + error.start, 0)
    return None


def _windows_1252(data: bytes) -> str:
    """"read" when `data` is Windows-1252 text with letters of the templates'
    languages, "mixed" when it holds UTF-8 as well, else "no"."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return "no"
    if _MOJIBAKE.search(text):
        return "mixed"
    return "read" if _OWN_LETTERS.search(text) else "no"


def _word_at(data: bytes, offset: int) -> str:
    """The word around byte `offset`, as Windows-1252 reads it, to show the
    steward where it is."""
    start, end = offset, offset + 1
    while start > 0 and start > offset - 40 and data[start - 1:start] not in b",;\t\r\n\" ":
        start -= 1
    while end < len(data) and end < offset + 40 and data[end:end + 1] not in b",;\t\r\n\" ":
        end += 1
    return data[start:end].decode("cp1252", errors="replace")


def row_of_byte(data: bytes, offset: int) -> int:
    """The spreadsheet row (the header is row 1) holding byte `offset`,
    counting a quoted cell's line breaks as part of its row."""
    prefix = data[:offset + 1].decode("latin-1")
    return max(sum(1 for _ in csv.reader(io.StringIO(prefix, newline=""), delimiter=_delimiter(prefix))), 1)


def _first_line(sheet: SheetText) -> str:
    head = sheet.data[:64 * 1024]
    text = head.decode(sheet.encoding, errors="ignore")
    return text.split("\n", 1)[0]


def _delimiter(header: str) -> str:
    # Spreadsheets set to Swedish save CSV with semicolons.
    header = header.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)
