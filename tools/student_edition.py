#!/usr/bin/env python3
"""Build the student edition: everything students need, no answers.

    python tools/student_edition.py [--out student_edition] [--publish student] [--force]

The edition is a complete folder that Binder, a JupyterHub link and a local
``make lab`` open as it is:

    README.md                  for students: how to start and hand work in
    notebooks/*.ipynb          without solution cells, outputs or saved widget state
    binder/environment.yml     the same pinned environment as the teacher's binder/
    binder/postBuild           installs the module from the wheel, then deletes the wheel
    binder/overrides.json      the classroom JupyterLab settings
    binder/aleppo2016-*.whl    the module, built from this checkout

No answer key, tests, teacher docs, question bank in plain text or source
tree. The folder is written to a temporary folder beside it and moved into
place only when complete, so a failure never leaves a half-written edition.
An earlier edition is replaced only if nobody changed it (a student's saved
notebook or hand-in file is never deleted without ``--force``).

``--publish student`` also commits the folder to the git branch ``student``
(without touching your checkout or its index): push that branch and point
Binder and the hub link at it (README, "Student edition").
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from aleppo2016.delivery import (
    STUDENT_POSTBUILD,
    build_wheel,
    copy_notebook_folder,
    solution_reason,
    read_notebook,
    student_edition,
)

ROOT = Path(__file__).resolve().parents[1]
#: Marks a folder this script wrote, with a checksum of each file it wrote.
MARKER = ".student_edition"

STUDENT_README = """# aleppo2016: reading one news article as data

These are the lessons of the aleppo2016 module, for students. Start with
`notebooks/00_start_here.ipynb`.

- Run the cells from top to bottom (Shift+Enter runs one cell).
- Answer the questions and press **Check**; the feedback explains why.
- At the end of each notebook, type your name in the **Save my work** box and
  press the button. It writes a small file next to the notebook and offers it
  as a download: hand that file in the way your teacher asked (for example,
  upload it to your course page). Nothing is sent anywhere by itself.
- To continue another day, put your saved file next to the notebook and run
  `from aleppo2016 import handin; handin.restore("YOUR-FILE.json")`.

Content note: the article reports deaths, attacks on rescuers and an attack on
an aid convoy during the war in Syria. The module uses no graphic images.
"""

GITIGNORE = ".ipynb_checkpoints/\n"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, Path]:
    """Every file under `folder`, by its path relative to it (checkpoints left out)."""
    return {
        p.relative_to(folder).as_posix(): p
        for p in folder.rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.relative_to(folder).parts
    }


def changed_files(out: Path) -> list[str]:
    """Files in an earlier edition that were added or changed after this script wrote it."""
    try:
        written = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError):
        return []  # an edition from before checksums were kept: replaced as before
    present = {rel: path for rel, path in _files(out).items() if rel != MARKER}
    return sorted(rel for rel, path in present.items() if written.get(rel) != _digest(path))


def _check_out(src: Path, out: Path, force: bool) -> None:
    if out == src or src in out.parents or out in src.parents or out == ROOT:
        raise SystemExit(f"--out {out} must be a separate folder, not inside or around {src}.")
    if out.exists() and not out.is_dir():
        raise SystemExit(f"{out} is a file; give a folder with --out.")
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SystemExit(f"{out} already holds other files; give an empty or new folder with --out.")
        changed = changed_files(out)
        if changed and not force:
            listed = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            raise SystemExit(
                f"{out} holds work added or changed since it was written ({listed}). "
                "Move that work somewhere safe, then run again with --force to replace the folder."
            )


def write_student_edition(src: Path, out: Path, *, wheel: Path | None = None, force: bool = False,
                          project: Path = ROOT, with_wheel: bool = True) -> list[Path]:
    """Write the complete student edition into `out` (see the module doc); return the notebooks written.

    `wheel` reuses a built wheel instead of building one from `project`;
    ``with_wheel=False`` leaves it out (enough for ``make lab`` on this computer,
    where the module is installed already, and no network is needed).
    Everything is written to a temporary folder beside `out` first and moved
    into place only at the end.
    """
    src, out = Path(src).resolve(), Path(out).resolve()
    if not src.is_dir():
        raise SystemExit(f"No notebooks folder at {src}: give one with --src.")
    _check_out(src, out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.writing-", dir=out.parent))
    try:
        written = copy_notebook_folder(src, work / "notebooks", student_edition)
        binder = work / "binder"
        binder.mkdir()
        shutil.copy2(project / "binder" / "environment.yml", binder / "environment.yml")
        shutil.copy2(project / "jupyter" / "overrides.json", binder / "overrides.json")
        (binder / "postBuild").write_text(STUDENT_POSTBUILD, encoding="utf-8")
        (binder / "postBuild").chmod(0o755)
        if with_wheel and wheel is not None:
            shutil.copy2(wheel, binder / Path(wheel).name)
        elif with_wheel:
            build_wheel(project, binder)
        (work / "README.md").write_text(STUDENT_README, encoding="utf-8")
        (work / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        checksums = {rel: _digest(path) for rel, path in sorted(_files(work).items())}
        (work / MARKER).write_text(json.dumps({
            "written_by": "tools/student_edition.py; replaced on the next run unless its files were changed",
            "files": checksums,
        }, indent=1) + "\n", encoding="utf-8")
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
        work.rename(out)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return [out / "notebooks" / p.relative_to(work / "notebooks") for p in written]


def removed_cells(src: Path) -> dict[str, list[str]]:
    """For each notebook, why each left-out cell was left out (for the summary the script prints)."""
    summary = {}
    for path in sorted(Path(src).glob("*.ipynb")):
        reasons = [r for r in map(solution_reason, read_notebook(path)["cells"]) if r]
        summary[path.name] = reasons
    return summary


def _git(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def publish(out: Path, branch: str, repo: Path = ROOT) -> str | None:
    """Commit the folder `out` as the whole tree of `branch`; return the new commit, or None if unchanged.

    Uses a temporary index, so the checkout, its index and its branch are untouched.
    """
    if not list((out / "binder").glob("aleppo2016-*.whl")):
        raise SystemExit(f"{out} has no wheel in binder/ (built with --no-wheel?); Binder needs it. Build again without --no-wheel.")
    git_dir = _git("rev-parse", "--absolute-git-dir", cwd=repo)
    source = _git("rev-parse", "--short", "HEAD", cwd=repo)
    with tempfile.TemporaryDirectory(prefix="aleppo2016-publish-") as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index"), "GIT_DIR": git_dir, "GIT_WORK_TREE": str(out)}
        _git("add", "--all", "--force", ".", env=env, cwd=out)
        tree = _git("write-tree", env=env, cwd=out)
        parent = subprocess.run(["git", "rev-parse", "--verify", "-q", f"refs/heads/{branch}"],
                                cwd=repo, capture_output=True, text=True).stdout.strip()
        if parent and _git("rev-parse", f"{parent}^{{tree}}", cwd=repo) == tree:
            return None
        args = ["commit-tree", tree, "-m", f"Student edition built from {source} by tools/student_edition.py"]
        if parent:
            args += ["-p", parent]
        commit = _git(*args, env=env, cwd=out)
        _git("update-ref", f"refs/heads/{branch}", commit, cwd=repo)
        return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "notebooks", help="folder of notebooks (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=ROOT / "student_edition", help="folder to write (default: student_edition/); an unchanged earlier edition there is replaced")
    parser.add_argument("--wheel", type=Path, help="use this aleppo2016 wheel instead of building one")
    parser.add_argument("--no-wheel", action="store_true", help="leave the module's wheel out (for use on this computer only; Binder needs it)")
    parser.add_argument("--force", action="store_true", help="replace an earlier edition even if files in it were changed")
    parser.add_argument("--publish", metavar="BRANCH", help="also commit the edition as the git branch BRANCH (e.g. student)")
    args = parser.parse_args(argv)
    written = write_student_edition(args.src, args.out, wheel=args.wheel, force=args.force, with_wheel=not args.no_wheel)
    left_out = sum(len(r) for r in removed_cells(args.src).values())
    print(f"Wrote the student edition to {args.out}: {len(written)} notebooks "
          f"({left_out} solution cells left out, outputs cleared), the Binder set-up"
          + (" (without the wheel Binder needs: --no-wheel)." if args.no_wheel else " and the module's wheel."))
    if args.publish:
        commit = publish(Path(args.out).resolve(), args.publish)
        if commit:
            print(f"Committed it as branch '{args.publish}' ({commit[:10]}). Publish it with: git push origin {args.publish}")
        else:
            print(f"Branch '{args.publish}' already holds this edition; nothing to commit.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
