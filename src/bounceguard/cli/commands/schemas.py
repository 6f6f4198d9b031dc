"""`bounceguard schemas [--write|--check]`: JSON Schemas in schemas/ generated from the topic models."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from bounceguard.core.models import TOPIC_MODELS


def render_all() -> dict[str, bytes]:
    """File name -> schema JSON bytes (stable key order, trailing newline)."""
    out = {}
    for name, model in sorted(TOPIC_MODELS.items()):
        schema = model.model_json_schema(mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://bounceguard.dev/schemas/{name}.json"
        out[f"{name}.json"] = orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    return out


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("schemas", help="print, write or check the JSON Schemas of every topic payload")
    p.add_argument("--write", action="store_true", help="write them into --dir")
    p.add_argument("--check", action="store_true", help="exit 1 when --dir differs from the models")
    p.add_argument("--dir", type=Path, default=Path("schemas"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rendered = render_all()
    if args.write:
        args.dir.mkdir(parents=True, exist_ok=True)
        for name, data in rendered.items():
            (args.dir / name).write_bytes(data)
        print(f"wrote {len(rendered)} schemas to {args.dir}", file=sys.stderr)
        return 0
    if args.check:
        stale = [n for n, d in rendered.items() if not (args.dir / n).exists() or (args.dir / n).read_bytes() != d]
        extra = sorted(p.name for p in args.dir.glob("*.json") if p.name not in rendered)
        for n in stale:
            print(f"out of date: {args.dir / n}", file=sys.stderr)
        for n in extra:
            print(f"no model for: {args.dir / n}", file=sys.stderr)
        return 1 if stale or extra else 0
    for name, data in rendered.items():
        sys.stdout.write(f"# {name}\n{data.decode()}")
    return 0
