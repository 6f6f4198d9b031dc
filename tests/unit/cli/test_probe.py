"""`bounceguard probe`: the health check the container image and exec probes run."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bounceguard.cli.commands import probe


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:6066/healthz"),
        ({"BOUNCEGUARD_WEB_PORT": "7001"}, "http://127.0.0.1:7001/healthz"),
        ({"BOUNCEGUARD_WEB_PORT": " 7001 "}, "http://127.0.0.1:7001/healthz"),
        ({"BOUNCEGUARD_PROBE_URL": "http://127.0.0.1:8080/readyz"}, "http://127.0.0.1:8080/readyz"),
        (
            {"BOUNCEGUARD_PROBE_URL": "http://127.0.0.1:8080/healthz", "BOUNCEGUARD_WEB_PORT": "7001"},
            "http://127.0.0.1:8080/healthz",
        ),
        ({"BOUNCEGUARD_PROBE_URL": "", "BOUNCEGUARD_WEB_PORT": ""}, "http://127.0.0.1:6066/healthz"),
    ],
)
def test_default_url(env: dict[str, str], expected: str) -> None:
    assert probe.default_url(env) == expected


@pytest.mark.parametrize("port", ["x", "0", "65536", "-1", "80.5"])
def test_default_url_rejects_bad_port(port: str) -> None:
    with pytest.raises(probe.ProbeConfigError, match="not a TCP port"):
        probe.default_url({"BOUNCEGUARD_WEB_PORT": port})


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = {"/healthz": 200, "/readyz": 503, "/teapot": 418, "/moved": 204}.get(self.path, 404)
        self.send_response(status)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("path", "healthy", "detail"),
    [
        ("/healthz", True, "answered 200"),
        ("/moved", True, "answered 204"),
        ("/readyz", False, "answered 503"),
        ("/teapot", False, "answered 418"),
        ("/nope", False, "answered 404"),
    ],
)
def test_check_against_local_server(server_url: str, path: str, healthy: bool, detail: str) -> None:
    ok, text = probe.check(server_url + path, timeout=5)
    assert ok is healthy
    assert detail in text


def test_check_unreachable_port_is_unhealthy() -> None:
    # Bind and close to get a port nothing listens on.
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    server.server_close()
    ok, text = probe.check(f"http://127.0.0.1:{port}/healthz", timeout=2)
    assert not ok
    assert "unreachable" in text


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "127.0.0.1:6066/healthz"])
def test_check_refuses_non_http(url: str) -> None:
    with pytest.raises(probe.ProbeConfigError, match="must be http"):
        probe.check(url, timeout=1)


@pytest.mark.parametrize(
    ("path", "rc"),
    [("/healthz", 0), ("/readyz", 1)],
)
def test_main_exit_codes(server_url: str, path: str, rc: int) -> None:
    assert probe.main(["--url", server_url + path, "--quiet"]) == rc


def test_main_bad_env_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOUNCEGUARD_PROBE_URL", raising=False)
    monkeypatch.setenv("BOUNCEGUARD_WEB_PORT", "not-a-port")
    assert probe.main(["--quiet"]) == 2
