"""Errors written for students and teachers.

Every error says what was wrong and what is allowed, with a "did you mean"
where a close match exists, so nobody has to read a traceback from inside
pandas or matplotlib to find out what happened.
"""
from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


class DataError(ValueError):
    """A data file is malformed or inconsistent.

    The message names the file, the record (line and id) and the problem.
    """

    def __init__(self, file: str, problem: str, *, line: int | None = None, record: str | None = None):
        self.file = file
        self.line = line
        self.record = record
        self.problem = problem
        where = file
        if line is not None:
            where += f", line {line}"
        if record:
            where += f" (record {record!r})"
        super().__init__(f"{where}: {problem}")


class UnknownNameError(LookupError):
    """A name, id or option that the module does not know."""

    def __str__(self) -> str:  # LookupError would show the repr of the message
        return str(self.args[0]) if self.args else ""


def normalise(text: str) -> str:
    """Fold case, accents, hyphens and spacing so 'Al-Sukari' matches 'al sukari'."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = no_marks.casefold()
    for ch in "-_‐‑–—'’‘.,\"“”":
        folded = folded.replace(ch, " ")
    words = folded.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def did_you_mean(given: str, options: Iterable[str], *, limit: int = 3) -> str:
    """A ' Did you mean …?' sentence for the closest options, or ''."""
    by_key: dict[str, str] = {}
    for option in options:  # the first spelling of a key wins, so names beat ids
        by_key.setdefault(normalise(option), option)
    close = difflib.get_close_matches(normalise(given), list(by_key), n=limit, cutoff=0.6)
    if not close:
        return ""
    names = " or ".join(repr(by_key[c]) for c in close)
    return f" Did you mean {names}?"


def check_choice(value: object, options: Iterable[str], what: str) -> str:
    """Return `value` if it is one of `options`; otherwise raise a clear error."""
    options = list(options)
    listed = ", ".join(repr(o) for o in options)
    if not isinstance(value, str):
        raise TypeError(f"{what} must be text, one of {listed}; got {type(value).__name__} {value!r:.60}.")
    if value in options:
        return value
    by_key = {normalise(o): o for o in options}
    if normalise(value) in by_key:
        return by_key[normalise(value)]
    raise UnknownNameError(
        f"{what} {value!r:.60} is not known.{did_you_mean(value, options)} Allowed: {listed}."
    )
