"""`bounceguard verify` as a user runs it: a subprocess against dnsmasq on 127.0.0.1."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from dns_server import Dnsmasq, Zone, running_dnsmasq

ZONE = Zone(
    local=("example",),
    mx=(("mx.example", "mail.mx.example", 10), ("nullmx.example", ".", 0)),
    nxdomain=("nx.example",),
)


@pytest.fixture(scope="module")
def dnsmasq() -> Iterator[Dnsmasq]:
    with running_dnsmasq(ZONE) as server:
        yield server


def bounceguard(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bounceguard", "verify", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_addresses_as_json_lines(dnsmasq: Dnsmasq) -> None:
    done = bounceguard("--nameserver", dnsmasq.nameserver, "Bob@mx.example", "x@nullmx.example", "nope")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["address"], r["verdict"]) for r in lines] == [
        ("Bob@mx.example", "deliverable"),
        ("x@nullmx.example", "undeliverable"),
        ("nope", "undeliverable"),
    ]


def test_table_output(dnsmasq: Dnsmasq) -> None:
    done = bounceguard("--nameserver", dnsmasq.nameserver, "--format", "table", "bob@nx.example")
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()
    assert header.split()[:2] == ["ADDRESS", "VERDICT"]
    assert row.split()[:2] == ["bob@nx.example", "undeliverable"] and "NXDOMAIN" in row


def test_csv_in_csv_out_with_progress(dnsmasq: Dnsmasq, tmp_path: Path) -> None:
    source, target = tmp_path / "list.csv", tmp_path / "out.csv"
    rows = [("name", "email")] + [(f"user{i}", f"user{i}@mx.example") for i in range(1500)]
    rows += [("gone", "gone@nx.example"), ("role", "info@mx.example"), ("typo", "bob@gmial.com")]
    with source.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    done = bounceguard("--nameserver", dnsmasq.nameserver, "--file", str(source), "--out", str(target), "--progress")
    assert done.returncode == 0, done.stderr
    assert "1503/1503" in done.stderr  # the progress bar's last frame
    with target.open(newline="") as f:
        out = list(csv.DictReader(f))
    assert len(out) == 1503
    assert [r["name"] for r in out] == [r[0] for r in rows[1:]]
    assert {r["verdict"] for r in out[:1500]} == {"deliverable"}
    assert out[1500]["verdict"] == "undeliverable" and out[1500]["domain"] == "fail"
    assert out[1501]["verdict"] == "risky" and out[1501]["role"] == "warn"
    assert out[1502]["suggestion"] == "bob@gmail.com" and out[1502]["typo"] == "warn"


@pytest.mark.parametrize(
    "args",
    [
        ("--file", "/nonexistent/list.csv"),
        ("--nameserver", "not-an-ip", "bob@mx.example"),
        ("--tenant", "bad/tenant", "bob@mx.example"),
        (),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args: tuple[str, ...]) -> None:
    done = bounceguard(*args)
    assert done.returncode == 2
    assert done.stderr.startswith("bounceguard verify")
    assert "Traceback" not in done.stderr


def test_serve(dnsmasq: Dnsmasq) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "bounceguard", "verify", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--nameserver", dnsmasq.nameserver],
        env={**os.environ, "BOUNCEGUARD_API_TOKENS": "t1:acme"},
        stderr=subprocess.PIPE,
    )
    try:
        body = json.dumps({"address": "bob@mx.example"}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/verify", data=body, headers={"Authorization": "Bearer t1"}
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    answer = json.loads(response.read())
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert answer["verdict"] == "deliverable"
    finally:
        server.terminate()
        server.wait(timeout=10)
        assert server.stderr is not None
        server.stderr.close()
