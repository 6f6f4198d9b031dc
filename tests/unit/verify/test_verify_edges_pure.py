"""Nameserver parsing, CSV column detection / output, and the reloadable domain-list file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bounceguard.core.verify.models import Check, CheckName, CheckResult, Verdict, VerificationResult
from bounceguard.edges.verify.csv_lists import VERDICT_COLUMNS, VerdictCsvWriter, read_address_table
from bounceguard.edges.verify.lists import DomainListFile, ListFileError
from bounceguard.edges.verify.resolver import InvalidNameserver, parse_nameserver


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        (" 10.0.0.2:53 ", ("10.0.0.2", 53)),
        ("::1", ("::1", 53)),
        ("[::1]:5353", ("::1", 5353)),
        ("2001:db8::53", ("2001:db8::53", 53)),
    ],
)
def test_parse_nameserver(value: str, expected: tuple[str, int]) -> None:
    assert parse_nameserver(value) == expected


@pytest.mark.parametrize("value", ["", "dns.example", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:70000", "[::1]:x"])
def test_parse_nameserver_rejects(value: str) -> None:
    with pytest.raises(InvalidNameserver):
        parse_nameserver(value)


@pytest.mark.parametrize(
    ("text", "header", "addresses"),
    [
        ("a@x.example\nb@x.example\n", None, ["a@x.example", "b@x.example"]),
        ("email\na@x.example\n", ["email"], ["a@x.example"]),
        ("name,E-Mail,city\nAl,a@x.example,Rome\n", ["name", "E-Mail", "city"], ["a@x.example"]),
        ("\ufeffEmail;x\n", ["\ufeffEmail;x"], []),  # not comma-separated: first column, as header
        ("contact\na@x.example\n\n,\n", ["contact"], ["a@x.example"]),  # blank rows dropped
        ("name,email\nshort\n", ["name", "email"], [""]),  # row without the column: empty address
        ("", None, []),
    ],
)
def test_read_address_table(text: str, header: list[str] | None, addresses: list[str]) -> None:
    table = read_address_table(io.StringIO(text))
    assert table.header == header
    assert list(table.addresses()) == addresses


def test_csv_writer_pads_rows_and_appends_verdict_columns() -> None:
    table = read_address_table(io.StringIO("a@x.example,1\nb@x.example\n"))
    out = io.StringIO()
    writer = VerdictCsvWriter(out, table)
    result = VerificationResult(
        address="b@x.example",
        normalized="b@x.example",
        verdict=Verdict.RISKY,
        checks=[Check(name=CheckName.ROLE, result=CheckResult.WARN, detail="role account: b@")],
        suggestion=None,
    )
    writer.write(table.rows[1], result)
    lines = out.getvalue().splitlines()
    assert lines[0].split(",") == ["column1", "column2", *VERDICT_COLUMNS]
    cells = lines[1].split(",")
    assert cells[:5] == ["b@x.example", "", "risky", "b@x.example", ""]
    assert cells[-1] == "role: role account: b@"


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_domain_list_file_reloads_on_change(tmp_path: Path) -> None:
    path = tmp_path / "extra.txt"
    path.write_text("one.example\n")
    clock = Clock()
    lists = DomainListFile(path, check_interval=30, clock=clock)
    assert "one.example" in lists and "two.example" not in lists
    path.write_text("one.example\ntwo.example  # added later\n")
    assert "two.example" not in lists  # not re-checked before the interval
    clock.now = 31
    assert "two.example" in lists and len(lists) == 2
    path.unlink()
    clock.now = 62
    assert "two.example" in lists  # a vanished file keeps the last good list


def test_domain_list_file_missing_at_start(tmp_path: Path) -> None:
    with pytest.raises(ListFileError):
        DomainListFile(tmp_path / "absent.txt")
