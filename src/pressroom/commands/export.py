"""``pressroom export``: every article as JSON Lines or CSV."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(verbs: Any) -> None:
    p = verbs.add_parser("export", help="write every article as JSON Lines or CSV")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    p.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pressroom.store.export import export_csv, export_jsonl

    write = export_csv if args.format == "csv" else export_jsonl
    if args.output == "-":
        n = write(sys.stdout)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            n = write(out)
    print(f"exported {n} articles", file=sys.stderr)
    return 0
