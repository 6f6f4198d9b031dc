"""Operator-maintained domain lists read from files, re-read when the file changes.

An extra disposable-domain list must be updatable without a release: the file is
checked at most every `check_interval` seconds and re-parsed when its mtime or size
changes. A file that disappears or becomes unreadable later keeps the last good list.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from bounceguard.core.verify.disposable import parse_domain_list

log = logging.getLogger(__name__)


class ListFileError(ValueError):
    """A configured list file cannot be read at start-up."""


class DomainListFile:
    """A ``Container[str]`` of domains backed by a text file (one a line, ``#`` comments)."""

    def __init__(
        self, path: str | os.PathLike[str], *, check_interval: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.path = Path(path)
        self._interval = check_interval
        self._clock = clock
        self._stamp: tuple[float, int] | None = None
        self._domains: frozenset[str] = frozenset()
        try:
            self._load()
        except (OSError, UnicodeDecodeError) as exc:
            raise ListFileError(f"cannot read domain list {self.path}: {exc}") from None
        self._checked = clock()

    @property
    def domains(self) -> frozenset[str]:
        self._refresh()
        return self._domains

    def __contains__(self, domain: object) -> bool:
        return isinstance(domain, str) and domain in self.domains

    def __len__(self) -> int:
        return len(self.domains)

    def _refresh(self) -> None:
        now = self._clock()
        if now - self._checked < self._interval:
            return
        self._checked = now
        try:
            self._load()
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("keeping the previous %d domains of %s: %s", len(self._domains), self.path, exc)

    def _load(self) -> None:
        stat = self.path.stat()
        stamp = (stat.st_mtime, stat.st_size)
        if stamp == self._stamp:
            return
        self._domains = parse_domain_list(self.path.read_text(encoding="utf-8"))
        self._stamp = stamp
