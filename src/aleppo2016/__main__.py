"""Command line: ``python -m aleppo2016 check [FOLDER]`` checks data files before class."""
from __future__ import annotations

import argparse
import sys

from .data import DATA_DIR, check_data
from .errors import DataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aleppo2016", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check a folder of data files (default: the package's own)")
    check.add_argument("folder", nargs="?", default=str(DATA_DIR))
    args = parser.parse_args(argv)
    if args.command == "check":
        try:
            counts = check_data(args.folder)
        except DataError as err:
            print(f"Problem found: {err}", file=sys.stderr)
            return 1
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        print(f"All data files in {args.folder} are fine: {summary}.")
        return 0
    return 2  # pragma: no cover - argparse rejects other commands


if __name__ == "__main__":
    sys.exit(main())
