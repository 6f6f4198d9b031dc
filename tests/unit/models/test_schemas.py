"""schemas/ must match the pydantic models: a model change without `bounceguard schemas --write` fails here."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from bounceguard.cli.commands.schemas import render_all
from bounceguard.core.models import TOPIC_MODELS

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"


@pytest.mark.parametrize("name", sorted(render_all()))
def test_schema_file_matches_model(name: str) -> None:
    path = SCHEMAS / name
    assert path.exists(), f"{path} missing: run `bounceguard schemas --write`"
    assert path.read_bytes() == render_all()[name], f"{path} is stale: run `bounceguard schemas --write`"


def test_no_orphan_schema_files() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(render_all())


def test_every_topic_model_has_a_title_and_properties() -> None:
    for name, model in TOPIC_MODELS.items():
        schema = orjson.loads(render_all()[f"{name}.json"])
        assert schema["type"] == "object", name
        assert schema["properties"], name
        assert model.__name__ in schema.get("title", model.__name__)
