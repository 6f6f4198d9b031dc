"""`bounceguard replay` over JSON lines: records out, bad lines reported and skipped."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bounceguard.cli.commands.replay import replay_lines
from bounceguard.cli.main import main
from bounceguard.core.categories import Reason
from bounceguard.core.suppression_policy import PolicyConfig

from .policy_events import at, event


def lines(*events: object, extra: tuple[str, ...] = ()) -> str:
    return "".join(e.model_dump_json() + "\n" for e in events) + "".join(extra)  # type: ignore[attr-defined]


def run(text: str, *, histories: bool = False) -> tuple[int, list[dict[str, object]], str]:
    out, err = io.StringIO(), io.StringIO()
    code = replay_lines(io.StringIO(text), out, err, PolicyConfig(), histories=histories)
    return code, [orjson.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_records_for_a_hard_and_a_soft_bounce() -> None:
    code, records, err = run(
        lines(event("h", Reason.USERUNKNOWN, at()), event("s", Reason.MAILBOXFULL, at(), recipient="carol@example.org"))
    )
    assert code == 0
    assert [next(iter(r)) for r in records] == ["suppression", "retry"]
    assert records[0]["suppression"]["reason"] == "userunknown"  # type: ignore[index]
    assert "2 events, 1 suppressions, 1 retry advices, 2 addresses, 0 skipped" in err


@pytest.mark.parametrize(
    ("bad_line", "words"),
    [
        ("not json\n", "line 2: skipped"),
        ('{"event_id": "x"}\n', "line 2: skipped"),
        (
            event("b", Reason.USERUNKNOWN, at()).model_dump_json().replace("bob@example.com", "bob") + "\n",
            "line 2: skipped",
        ),
    ],
)
def test_bad_lines_are_reported_and_skipped(bad_line: str, words: str) -> None:
    text = (
        lines(event("h", Reason.USERUNKNOWN, at()))
        + bad_line
        + lines(event("s", Reason.FEEDBACK, at(), recipient="x@example.org"))
    )
    code, records, err = run(text)
    assert code == 1 and words in err and "1 skipped" in err
    assert len(records) == 2


def test_histories_are_printed_on_request() -> None:
    _, records, _ = run(lines(event("h", Reason.USERUNKNOWN, at())), histories=True)
    assert records[-1]["history"]["status"] == "suppressed"  # type: ignore[index]


def test_cli_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(lines(event("h", Reason.SPAMTRAP, at())))
    config = tmp_path / "policy.json"
    config.write_text('{"soft_threshold": 4}')
    assert main(["replay", str(path), "--config", str(config)]) == 0
    assert '"reason":"spamtrap"' in capsys.readouterr().out
    config.write_text('{"soft_threshold": 0}')
    assert main(["replay", str(path), "--config", str(config)]) == 2
    assert main(["replay", str(tmp_path / "missing.jsonl")]) == 2
