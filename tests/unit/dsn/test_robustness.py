"""Malformed input never escapes as anything but DsnParseError."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounceguard.core.dsn import BouncedRecipient, DsnParseError, ParsedBounce, parse_bounce

CORPUS = Path(
    os.environ.get("BOUNCEGUARD_CORPUS", Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "sisimai")
)


def email_bytes(name: str) -> bytes:
    path = CORPUS / "emails" / name
    assert path.is_file(), f"bounce corpus missing at {CORPUS} (set BOUNCEGUARD_CORPUS)"
    return path.read_bytes()


_SAMPLES = sorted((CORPUS / "emails").glob("*.eml"))
assert _SAMPLES, f"bounce corpus missing at {CORPUS} (set BOUNCEGUARD_CORPUS)"
_SAMPLE_NAMES = [p.name for p in _SAMPLES[:: max(1, len(_SAMPLES) // 40)]]


def _check(raw: bytes) -> None:
    try:
        result = parse_bounce(raw)
    except DsnParseError as exc:
        assert str(exc)
        return
    assert isinstance(result, ParsedBounce)
    for rec in result.recipients:
        assert isinstance(rec, BouncedRecipient)
        assert "@" in rec.recipient


def _sample(name: str) -> bytes:
    return email_bytes(name)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(raw: bytes) -> None:
    _check(raw)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(_SAMPLE_NAMES), cut=st.floats(0, 1))
def test_truncated_corpus_mail(name: str, cut: float) -> None:
    raw = _sample(name)
    _check(raw[: int(len(raw) * cut)])


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(_SAMPLE_NAMES),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=30),
)
def test_flipped_bytes(name: str, flips: list[tuple[float, int]]) -> None:
    raw = bytearray(_sample(name))
    for where, value in flips:
        raw[min(len(raw) - 1, int(where * len(raw)))] = value
    _check(bytes(raw))


_MANGLES = [
    ("drop boundaries", lambda raw: raw.replace(b"boundary=", b"boundary-x=")),
    ("bad charset", lambda raw: raw.replace(b"charset=", b"charset=x-no-such-\xff")),
    ("broken base64", lambda raw: raw.replace(b"7bit", b"base64")),
    ("broken qp", lambda raw: raw.replace(b"7bit", b"quoted-printable") + b"=\n=ZZ=4"),
    ("huge header", lambda raw: b"X-Huge: " + b"a" * 2_000_000 + b"\n" + raw),
    ("many parts", lambda raw: b'Content-Type: multipart/mixed; boundary="b"\n\n' + b"--b\n\nx\n" * 5000),
    ("deep nesting", lambda raw: b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n' * 500 + raw),
    ("nul bytes", lambda raw: raw.replace(b"\n", b"\n\x00")),
    ("cr only", lambda raw: raw.replace(b"\n", b"\r")),
    ("no body", lambda raw: raw.split(b"\n\n", 1)[0]),
]


@pytest.mark.parametrize("name", _SAMPLE_NAMES[:10])
@pytest.mark.parametrize(("label", "mangle"), _MANGLES, ids=[m[0] for m in _MANGLES])
def test_mangled_mime(name: str, label: str, mangle: object) -> None:
    assert callable(mangle)
    _check(mangle(_sample(name)))


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"hello world", "header"),
        (b"Subject: hi\n\nnothing bounced here", "no failed recipient"),
    ],
)
def test_typed_error_messages(raw: bytes, words: str) -> None:
    with pytest.raises(DsnParseError, match=words):
        parse_bounce(raw)


def test_size_cap() -> None:
    raw = _sample(_SAMPLE_NAMES[0])
    with pytest.raises(DsnParseError, match="limit"):
        parse_bounce(raw, max_bytes=len(raw) - 1)
    assert parse_bounce(raw, max_bytes=len(raw)).recipients


def test_not_bytes() -> None:
    with pytest.raises(DsnParseError, match="bytes"):
        parse_bounce("Subject: x\n\n")  # type: ignore[arg-type]
