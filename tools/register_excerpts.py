#!/usr/bin/env python3
"""Write a fingerprint of the article so the tests can check excerpts without the article.

The article is TIME's copyright and is never committed. CI still has to check
that every excerpt is verbatim and that the data covers every paragraph, so
this script stores, for each paragraph of the article body, only a set of
short hashes: the first 8 hex digits of the SHA-256 of every run of three
consecutive words. An excerpt is verbatim only if each of its three-word runs
is in one paragraph's set.

Run it from the project's root whenever the article or the rules change:

    python tools/fingerprint_article.py [ARTICLE] [--output tests/article_fingerprint.json]

ARTICLE defaults to $ALEPPO2016_ARTICLE, or ../shared/article/article.txt.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FINGERPRINT = ROOT / "tests" / "article_fingerprint.json"
WINDOW = 3  # words per run: check_excerpts.py also needs excerpts of 3 words or more
HASH_CHARS = 8
TITLE = "How the White Helmets of Syria Are Being Hunted in a Devastated Aleppo"

# Page furniture, not article text: section bullets, the reading time, links to
# other TIME stories and the footer (see ../shared/article/README.md).
_FURNITURE = re.compile(
    r"^(•|\d+ minute read$|Read More:|More Must-Reads from TIME$|Contact us at )"
)
# Quote marks and punctuation at the edges of a word are ignored, so that an
# excerpt may stop before a full stop or comma ("on Sept. 16" in "on Sept. 16.").
_EDGE = "\"'“”‘’.,;:!?()[]…"


def default_article() -> Path:
    """The article file: $ALEPPO2016_ARTICLE, else ../shared/article/article.txt beside the repo."""
    env = os.environ.get("ALEPPO2016_ARTICLE")
    return Path(env) if env else ROOT.parent / "shared" / "article" / "article.txt"


def paragraphs(text: str) -> list[str]:
    """The body paragraphs, whitespace folded, with the title and page furniture dropped."""
    body = []
    for block in re.split(r"\n\s*\n|\n", text):
        para = " ".join(block.split())
        if para and para != TITLE and not _FURNITURE.match(para):
            body.append(para)
    return body


def words(text: str) -> list[str]:
    """The words of `text`, with punctuation and quote marks at their edges removed."""
    cleaned = (w.strip(_EDGE) for w in text.split())
    return [w for w in cleaned if w]


def window_hashes(text: str) -> list[str]:
    """Truncated SHA-256 of each run of WINDOW consecutive words, in order."""
    ws = words(text)
    runs = (" ".join(ws[i:i + WINDOW]) for i in range(len(ws) - WINDOW + 1))
    return [hashlib.sha256(run.encode("utf-8")).hexdigest()[:HASH_CHARS] for run in runs]


def fingerprint(text: str) -> dict[str, object]:
    """The fingerprint of a whole article text, as written to article_fingerprint.json."""
    return {
        "about": "Per paragraph of TIME's article (title and page furniture dropped): truncated "
                 "SHA-256 of every run of three words. Written by tools/fingerprint_article.py; "
                 "the article itself is not stored.",
        "window_words": WINDOW,
        "hash_chars": HASH_CHARS,
        "paragraphs": [
            {"number": n, "words": len(words(p)), "hashes": sorted(set(window_hashes(p)))}
            for n, p in enumerate(paragraphs(text), start=1)
        ],
    }


def dumps(data: dict[str, object]) -> str:
    """The file's exact text, so a test can compare it byte for byte."""
    return json.dumps(data, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=FINGERPRINT)
    args = parser.parse_args(argv)
    article = args.article or default_article()
    if not article.is_file():
        print(f"No article at {article}; give its path or set ALEPPO2016_ARTICLE.", file=sys.stderr)
        return 1
    result = fingerprint(article.read_text(encoding="utf-8"))
    args.output.write_text(dumps(result), encoding="utf-8")
    print(f"Wrote {args.output}: {len(result['paragraphs'])} paragraphs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
