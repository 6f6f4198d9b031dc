"""Errors the trend maths raises on bad input, so callers can dead-letter instead of crash."""

from __future__ import annotations


class TrendInputError(ValueError):
    """An argument to the trend functions is out of range (naive datetime, negative count...)."""
