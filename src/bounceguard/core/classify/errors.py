"""Errors the classifier raises for input it cannot read at all.

Odd values (unknown codes, malformed statuses, empty text) are not errors: they are
ignored and the verdict says so. Only a value of the wrong type is refused, so a caller
that decodes JSON can turn it into a clear message instead of a crash.
"""

from __future__ import annotations


class ClassifyInputError(TypeError):
    """An argument has the wrong type (e.g. a dict where a reply text was expected)."""
