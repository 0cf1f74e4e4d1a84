"""CSV files for the spreadsheet programs the office uses, one choice for every export.

German Excel splits columns at `;` (a file separated by commas opens in one column) and reads
the umlauts right only after a UTF-8 byte order mark; a cell starting like a formula (= + - @,
tab, CR, also after spaces) gets a leading quote, so a name typed by someone cannot run as
one. An import takes either separator: the directory format shared with other tools is
separated by commas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

CSV_SEPARATOR = ";"
BOM = "\ufeff"
_FORMULA_SIGNS = ("=", "+", "-", "@")
_FORMULA_SPACE = ("\t", "\r")


def is_formula_like(text: str) -> bool:
    """A spreadsheet would read this cell as a formula (= + - @, tab, CR at the start), also
    after spaces or line breaks: LibreOffice's import may trim them (" =cmd|…", stored
    before a field refused a leading sign, or from a platform's display name), and any other
    white space (a form feed typed before "@" too)."""
    rest = text.lstrip()
    lead = text[: len(text) - len(rest)]
    return rest.startswith(_FORMULA_SIGNS) or any(c in lead for c in _FORMULA_SPACE)


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: formulas (= + - @, tab, CR) get a leading quote."""
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def spreadsheet_csv(rows: Iterable[Iterable[object]]) -> str:
    """Rows as the office's CSV: a byte order mark, `;`, CRLF, formula-safe cells (None is
    an empty cell)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    for row in rows:
        writer.writerow("" if cell is None else safe_cell(cell) for cell in row)
    return out.getvalue()


def read_csv(text: str) -> csv.DictReader[str]:
    """A CSV file's rows by column name, separated by `;` (as exported) or `,` (as the shared
    directory format is): the header line says which; a byte order mark is ignored."""
    text = text.removeprefix(BOM)
    header = text.split("\n", 1)[0]
    separator = ";" if header.count(";") > header.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=separator)
