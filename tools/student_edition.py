#!/usr/bin/env python3
"""Write the student edition of the notebooks: answers (cells tagged `solution`) and outputs removed.

    python tools/student_edition.py [--src notebooks] [--out student_edition]

Teachers hand this folder to students (or upload it to a hub or LMS); the
originals in notebooks/ keep the answers for the teacher. Everything other
than solution cells, outputs and execution counts is kept as it was.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from aleppo2016.delivery import copy_notebook_folder, student_edition

ROOT = Path(__file__).resolve().parents[1]
#: Marks a folder this script wrote, so a re-run may replace it (and nothing else).
MARKER = ".student_edition"


def write_student_edition(src: Path, out: Path) -> list[Path]:
    """Copy `src` to `out` (replacing an earlier edition there), with each notebook turned into its student edition.

    Other files are copied unchanged (see
    :func:`aleppo2016.delivery.copy_notebook_folder`). Returns the notebooks written.
    """
    src, out = Path(src).resolve(), Path(out).resolve()
    if not src.is_dir():
        raise SystemExit(f"No notebooks folder at {src}: give one with --src.")
    if out == src or src in out.parents or out in src.parents:
        raise SystemExit(f"--out {out} must be a separate folder, not inside or around {src}.")
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SystemExit(f"{out} already holds other files; give an empty or new folder with --out.")
        shutil.rmtree(out)  # our own earlier edition: replace it so deleted notebooks don't linger
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by tools/student_edition.py; the folder is replaced on the next run.\n")
    return copy_notebook_folder(src, out, student_edition)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "notebooks", help="folder of notebooks (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=ROOT / "student_edition", help="folder to write (default: student_edition/); an earlier edition there is replaced")
    args = parser.parse_args(argv)
    written = write_student_edition(args.src, args.out)
    print(f"Wrote {len(written)} student notebooks (no solutions, no outputs) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
