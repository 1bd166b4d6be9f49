"""Command line for teachers.

``python -m aleppo2016 check [FOLDER]`` checks data files before class;
``python -m aleppo2016 hub-link HUB [--repo URL] [--branch student]`` prints the
nbgitpuller link that opens the module on a school JupyterHub;
``python -m aleppo2016 class-report FOLDER [--out report.html] [--csv grades.csv]``
turns a folder of students' hand-in files into one HTML report (and a CSV).
"""
from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from .data import DATA_DIR, check_data
from .errors import DataError, DataWarning


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aleppo2016", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check a folder of data files (default: the package's own)")
    check.add_argument("data_dir", metavar="FOLDER", nargs="?", default=str(DATA_DIR))
    link = sub.add_parser("hub-link", help="print the nbgitpuller link for a school JupyterHub")
    link.add_argument("hub", help="the hub's address, e.g. https://hub.example.org")
    link.add_argument("--repo", help="the module's git repository (default: the one in the package metadata)")
    link.add_argument("--branch", default="student", help="the branch to copy (default: student, the student edition; see README)")
    report = sub.add_parser("class-report", help="one HTML report (and a gradebook CSV) from a folder of hand-in files")
    report.add_argument("folder", help="the folder holding the students' hand-in files (.json)")
    report.add_argument("--out", help="the HTML file to write (default: FOLDER/class-report.html)")
    report.add_argument("--csv", help="also write one row per student to this CSV file")
    report.add_argument("--data", help="a teacher's edited data folder whose questions.json the class used")
    args = parser.parse_args(argv)
    if args.command == "class-report":
        return _class_report(args)
    if args.command == "hub-link":
        from .delivery import LinkError, hub_link

        try:
            print(hub_link(args.hub, repo=args.repo, branch=args.branch))
        except LinkError as err:
            print(f"Problem found: {err}", file=sys.stderr)
            return 1
        return 0
    if args.command == "check":
        return _check(args.data_dir)
    return 2  # pragma: no cover - argparse rejects other commands


def _check(data_dir: str) -> int:
    """Check a data folder: problems fail the check, warnings are printed and do not."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        try:
            counts = check_data(data_dir)
            questions = Path(data_dir) / "questions.json"
            if questions.exists() or questions.is_symlink():  # a folder or a pipe there is reported, not skipped
                from .quiz import check_questions  # imports ipywidgets, so only when needed

                counts["questions"] = sum(check_questions(data_dir).values())
        except DataError as err:
            print(f"Problem found: {err}", file=sys.stderr)
            return 1
    # the questions are checked against the tables, which reads them a second time: one line per warning
    found = list(dict.fromkeys(str(w.message) for w in caught if isinstance(w.message, DataWarning)))
    for warning in found:
        print(f"Warning: {warning}")
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    if found:
        print(f"All data files in {data_dir} can be loaded: {summary}; look at the "
              f"{len(found)} warning{'s' if len(found) > 1 else ''} above before class.")
    else:
        print(f"All data files in {data_dir} are fine: {summary}.")
    return 0


def _class_report(args: argparse.Namespace) -> int:
    from .handin import HandInError
    from .report import class_report

    try:
        work, path = class_report(args.folder, args.out, args.csv, args.data)
    except (HandInError, DataError) as err:
        print(f"Problem found: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"Problem found: could not write {err.filename} ({err.strerror}).", file=sys.stderr)
        return 1
    for name, reason in work.skipped:
        print(f"Skipped {name}: {reason}")
    for kept, older in work.duplicates:
        print(f"Duplicate: {older} is an earlier copy of {kept}; only {kept} is counted.")
    print(f"Wrote the class report for {len(work.students)} students to {path}"
          + (f" and the gradebook to {args.csv}" if args.csv else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
