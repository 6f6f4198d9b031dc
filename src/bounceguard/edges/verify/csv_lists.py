"""Address lists as CSV: which column holds the address, and the verdict columns out.

In: the column headed ``email`` (any case; also ``e-mail``, ``email_address``, ``address``),
else the first column; a first row whose first cell has no ``@`` and no such header is
taken as a header too. Out: the input row, then the verdict columns below.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from bounceguard.core.verify.models import CheckName, CheckResult, VerificationResult

_ADDRESS_HEADERS = ("email", "e-mail", "email_address", "emailaddress", "mail", "address")
VERDICT_COLUMNS: tuple[str, ...] = (
    "verdict",
    "normalized",
    "suggestion",
    *(name.value for name in CheckName),
    "reasons",
)


@dataclass(frozen=True)
class AddressTable:
    header: list[str] | None
    column: int
    rows: list[list[str]]

    def addresses(self) -> Iterator[str]:
        for row in self.rows:
            yield row[self.column] if self.column < len(row) else ""


def read_address_table(stream: TextIO) -> AddressTable:
    """Read all rows (a list of 100,000 rows is a few MB); blank rows are dropped."""
    rows = [row for row in csv.reader(stream) if any(cell.strip() for cell in row)]
    if not rows:
        return AddressTable(None, 0, [])
    first = [cell.strip().lower().lstrip("\ufeff") for cell in rows[0]]
    for name in _ADDRESS_HEADERS:
        if name in first:
            return AddressTable(rows[0], first.index(name), rows[1:])
    if "@" not in rows[0][0]:
        return AddressTable(rows[0], 0, rows[1:])
    return AddressTable(None, 0, rows)


def reasons(result: VerificationResult) -> str:
    """The checks that did not pass, as ``name: detail; ...``."""
    bad = (CheckResult.FAIL, CheckResult.UNKNOWN, CheckResult.WARN)
    return "; ".join(
        f"{c.name.value}: {c.detail}" if c.detail else c.name.value for c in result.checks if c.result in bad
    )


def verdict_cells(result: VerificationResult) -> list[str]:
    by_name = {c.name: c.result.value for c in result.checks}
    return [
        result.verdict.value,
        result.normalized or "",
        result.suggestion or "",
        *(by_name.get(name, "") for name in CheckName),
        reasons(result),
    ]


class VerdictCsvWriter:
    """Writes the input rows, padded to one width, followed by the verdict columns."""

    def __init__(self, stream: TextIO, table: AddressTable) -> None:
        self._writer = csv.writer(stream)
        self._width = max([len(table.header or [])] + [len(r) for r in table.rows] + [1])
        header = list(table.header) if table.header is not None else [f"column{i + 1}" for i in range(self._width)]
        header += [""] * (self._width - len(header))
        self._writer.writerow([*header, *VERDICT_COLUMNS])

    def write(self, row: list[str], result: VerificationResult) -> None:
        padded = row + [""] * (self._width - len(row))
        self._writer.writerow([*padded, *verdict_cells(result)])
