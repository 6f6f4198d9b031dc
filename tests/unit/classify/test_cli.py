"""`bounceguard classify`: one reply as an argument, or JSON lines on stdin."""

from __future__ import annotations

import io
import json

import pytest

from bounceguard.cli.commands.classify import run_lines
from bounceguard.cli.main import main


def test_argument_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "550 5.1.1 <a@example.com>: user unknown"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "reason": "userunknown",
        "category": "hard",
        "suppress": True,
        "retry": False,
        "hardbounce": True,
        "why": "status 5.1.1",
        "reply_code": 550,
        "status": "5.1.1",
    }


LINES: list[tuple[str, dict[str, object]]] = [
    ('{"reply": "552 5.2.2 Mailbox full"}', {"reason": "mailboxfull", "category": "soft"}),
    (
        '{"reply_code": 550, "status": "5.7.1", "diagnostic": "blocked using zen.spamhaus.org"}',
        {"reason": "blocked", "category": "block", "suppress": False},
    ),
    ('{"reply_code": "421"}', {"reason": "toomanyconn", "reply_code": 421}),
    ('{"diagnostic": "user unknown", "remote_host": "mx.example.org"}', {"reason": "userunknown"}),
    ("not json", {"error": "JSONDecodeError: Expecting value: line 1 column 1 (char 0)"}),
    ("[1, 2]", {"error": "ClassifyInputError: expected a JSON object, got list"}),
    ('{"reply": 550}', {"error": "ClassifyInputError: 'reply' must be a string"}),
    ('{"reply_code": "x"}', {"error": "ClassifyInputError: reply_code must be an int, not str"}),
    ('{"status": ["5.1.1"]}', {"error": "ClassifyInputError: status must be a str, not list"}),
]


@pytest.mark.parametrize(("line", "expected"), LINES)
def test_json_lines(line: str, expected: dict[str, object]) -> None:
    out = io.StringIO()
    assert run_lines(io.StringIO(line + "\n\n"), out) == 0
    answers = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(answers) == 1
    assert expected.items() <= answers[0].items()


def test_bad_line_does_not_stop_the_batch() -> None:
    out = io.StringIO()
    run_lines(io.StringIO('garbage\n{"reply": "550 5.1.1 user unknown"}\n'), out)
    first, second = (json.loads(x) for x in out.getvalue().splitlines())
    assert "error" in first and second["reason"] == "userunknown"


class _Broken(io.StringIO):
    def __iter__(self):  # type: ignore[no-untyped-def]
        raise OSError("stdin went away")


def test_unreadable_stdin_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_lines(_Broken(), io.StringIO()) == 1
    assert "cannot read stdin" in capsys.readouterr().err
