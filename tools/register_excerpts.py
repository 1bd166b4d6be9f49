#!/usr/bin/env python3
"""Register the module's excerpts so that CI can check them without the article.

The article is TIME's copyright and is never committed, not even in a form
that could be pieced back together. This script reads the article, checks
that every excerpt in the data (each table's ``excerpt`` and each quotation's
``text``, and the verbatim excerpts in questions.json) stands verbatim inside
one paragraph, and writes ``tests/excerpt_register.json``: for each paragraph
only its number and word count, and for each excerpt a SHA-256 hash and the
number of the paragraph it comes from. The tests then check that every
excerpt in the data is registered and that every paragraph is covered.

Run it from the project's root after adding or editing an excerpt:

    python tools/register_excerpts.py [ARTICLE]

ARTICLE defaults to $ALEPPO2016_ARTICLE, or ../shared/article/article.txt.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tests" / "excerpt_register.json"
QUESTIONS = ROOT / "src" / "aleppo2016" / "data" / "questions.json"
TITLE = "How the White Helmets of Syria Are Being Hunted in a Devastated Aleppo"

# Page furniture, not article text: section bullets, the reading time, links to
# other TIME stories and the footer (see ../shared/article/README.md).
_FURNITURE = re.compile(r"^(•|\d+ minute read$|Read More:|More Must-Reads from TIME$|Contact us at )")


def default_article() -> Path:
    """The article file: $ALEPPO2016_ARTICLE, else ../shared/article/article.txt beside the repo."""
    env = os.environ.get("ALEPPO2016_ARTICLE")
    return Path(env) if env else ROOT.parent / "shared" / "article" / "article.txt"


def fold(text: str) -> str:
    """White space folded, as check_excerpts.py compares."""
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    """The body paragraphs, whitespace folded, with the title and page furniture dropped."""
    body = []
    for block in text.splitlines():
        para = fold(block)
        if para and para != TITLE and not _FURNITURE.match(para):
            body.append(para)
    return body


def digest(excerpt: str) -> str:
    return hashlib.sha256(fold(excerpt).encode("utf-8")).hexdigest()[:16]


def _question_excerpts(node: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "excerpt" and isinstance(value, str):
                yield where, value
            else:
                yield from _question_excerpts(value, f"{where}/{node.get('id', key)}" if key != "id" else where)
    elif isinstance(node, list):
        for item in node:
            yield from _question_excerpts(item, where)


def excerpts() -> list[tuple[str, str]]:
    """(where, text) for every verbatim excerpt the module holds."""
    sys.path.insert(0, str(ROOT / "src"))
    import aleppo2016
    from aleppo2016.data import TABLES

    found: list[tuple[str, str]] = []
    for name in TABLES:
        frame = getattr(aleppo2016, f"load_{name}")()
        for column in ("excerpt", "text"):
            if column in frame.columns:
                found += [(f"{name}:{rid}", t) for rid, t in frame[column].items() if isinstance(t, str) and t]
    if QUESTIONS.is_file():
        data = json.loads(QUESTIONS.read_text(encoding="utf-8"))
        found += list(_question_excerpts(data, "questions"))
    return found


def register(article_text: str) -> tuple[dict[str, object], list[str]]:
    """The register for the current data, and the excerpts not found verbatim in one paragraph."""
    paras = paragraphs(article_text)
    entries: dict[str, int] = {}
    problems = []
    for where, text in excerpts():
        homes = [n for n, p in enumerate(paras, start=1) if fold(text) in p]
        if not homes:
            problems.append(f"{where}: not verbatim within one paragraph: {text[:80]!r}")
        else:
            entries[digest(text)] = homes[0]
    data = {
        "about": "Which paragraph of TIME's article each excerpt comes from, by SHA-256 of the excerpt "
                 "(white space folded). Written by tools/register_excerpts.py; the article is not stored.",
        "paragraphs": [{"number": n, "words": len(p.split())} for n, p in enumerate(paras, start=1)],
        "excerpts": dict(sorted(entries.items())),
    }
    return data, problems


def dumps(data: dict[str, object]) -> str:
    return json.dumps(data, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)
    article = args.article or default_article()
    if not article.is_file():
        print(f"No article at {article}; give its path or set ALEPPO2016_ARTICLE.", file=sys.stderr)
        return 1
    data, problems = register(article.read_text(encoding="utf-8"))
    if problems:
        print("Not registered; fix these excerpts first:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    REGISTER.write_text(dumps(data), encoding="utf-8")
    print(f"Wrote {REGISTER.relative_to(ROOT)}: {len(data['excerpts'])} excerpts over {len(data['paragraphs'])} paragraphs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
