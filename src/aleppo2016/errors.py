"""Errors written for students and teachers.

Every error says what was wrong and what is allowed, with a "did you mean"
where a close match exists, so nobody has to read a traceback from inside
pandas or matplotlib to find out what happened.
"""
from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


#: The longest piece of a reader's input an error message repeats: a cell
#: pasted with a megabyte of text must not come back as a megabyte of error.
QUOTE_LIMIT = 80
#: The longest problem sentence a message carries (a last guard; the quoted
#: parts are already cut to QUOTE_LIMIT).
PROBLEM_LIMIT = 900


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)``, cut to `limit` characters with a note of the full length.

    Every piece of input an error repeats goes through here, so that the
    message stays one readable line whatever was typed or pasted.
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + "…"


def _where(file: str, line: int | None, record: str | None) -> str:
    where = file if len(file) <= 2 * QUOTE_LIMIT else "…" + file[-2 * QUOTE_LIMIT:]
    if line is not None:
        where += f", line {line}"
    if record:
        where += f" (record {quoted(record, 60)})"
    return where


def _cut(problem: str) -> str:
    return problem if len(problem) <= PROBLEM_LIMIT else problem[: PROBLEM_LIMIT - 1] + "…"


class _Located:
    """A problem at a place in a data file: the message names the file, the record (line and id) and the problem."""

    def __init__(self, file: str, problem: str, *, line: int | None = None, record: str | None = None):
        self.file = file
        self.line = line
        self.record = record
        self.problem = problem
        super().__init__(f"{_where(file, line, record)}: {_cut(problem)}")


class DataError(_Located, ValueError):
    """A data file is malformed or inconsistent.

    The message names the file, the record (line and id) and the problem.
    """


class DataWarning(_Located, UserWarning):
    """Something in a data file that loads, but that a teacher should look at.

    For example a text cell a spreadsheet would run as a formula. The message
    names the file, the record and the problem, as a DataError does.
    """


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
    if len(given) > 200:  # nothing that long is a slip of the finger; and difflib is slow on it
        return ""
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
