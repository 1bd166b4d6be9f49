"""Students hand their work in as one small file; nothing is sent anywhere.

A hand-in file is JSON, written by the "Save my work" button at the end of
each notebook (:func:`save_button`) or by :func:`save`. It holds only the work
and the module's version::

    {
     "format": "aleppo2016-handin",      # what the file is
     "version": 1,                       # of this format (FORMAT_VERSION)
     "module_version": "0.1.0",          # aleppo2016 that wrote it
     "notebooks": ["03_figures"],        # the notebooks the work is from
     "name": "Amal H.",                  # what the student chose to put on it
     "saved_at": "2026-11-29T20:31:05Z", # UTC
     "records": [ ... ],                 # one per question, as quiz.answered() returns them
     "checksum": "sha256:..."            # of the fields above, to notice hand edits
    }

Each record is ``{"notebook", "id", "type", "attempts": [{"answer", "correct",
"at"}], "first_try_correct", "correct"}`` plus ``"text"`` for an open
question. The checksum only tells a file edited by hand from one the module
wrote (a student who reads this could recompute it); it holds no information.

The student takes the file to the teacher (LMS upload, email, shared folder);
the teacher runs ``python -m aleppo2016 class-report FOLDER``. A saved file is
loaded back with :func:`restore` (a student continues another day).
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "HandInError",
    "HandIn",
    "make",
    "dumps",
    "loads",
    "validate",
    "write",
    "read",
    "download_link",
    "file_name",
    "current_records",
    "prepare",
    "save",
    "restore",
    "save_button",
    "SaveWork",
]

FORMAT = "aleppo2016-handin"
FORMAT_VERSION = 1
#: The file's keys, in the order they are written.
KEYS = ("format", "version", "module_version", "notebooks", "name", "saved_at", "records", "checksum")
RECORD_KEYS = {"notebook", "id", "type", "attempts", "first_try_correct", "correct", "text"}
ATTEMPT_KEYS = {"answer", "correct", "at"}
#: Longest name kept (a name is for the teacher to recognise, not an essay).
MAX_NAME = 80
#: A hand-in file larger than this is not one the module wrote.
MAX_BYTES = 5_000_000
_NOTEBOOK = re.compile(r"^\d\d_[a-z0-9_]+$")
_ID = re.compile(r"^[a-z0-9_]+$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


class HandInError(ValueError):
    """A file that is not a hand-in file this version of the module can read, and why."""


@dataclass(frozen=True)
class HandIn:
    """One student's handed-in work, as read and checked."""

    name: str
    notebooks: tuple[str, ...]
    saved_at: str
    module_version: str
    records: tuple[dict[str, Any], ...]


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _module_version() -> str:
    from . import __version__

    return __version__


def _checksum(content: Mapping[str, Any]) -> str:
    canonical = json.dumps({k: content[k] for k in KEYS[:-1]}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _clean_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise HandInError("Type the name to put on your work in the box (your name, or what your teacher asked for).")
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise HandInError(f"The name is {len(name)} characters long; keep it to {MAX_NAME} or fewer.")
    return name


def _utc(value: object) -> object:
    """A time as ``2026-11-29T20:31:05Z`` (UTC, whole seconds), whatever ISO form it came in; other values unchanged."""
    if not isinstance(value, str):
        return value
    try:
        when = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _verdicts(attempts: Sequence[Mapping[str, Any]]) -> tuple[bool | None, bool | None]:
    """(first try, in the end) from the attempts: right in the end once any attempt was right, as the score counts."""
    verdicts = [a.get("correct") for a in attempts]
    first = verdicts[0] if verdicts else None
    final = None if all(v is None for v in verdicts) else any(v is True for v in verdicts)
    return first, final


def _record_for_file(record: Mapping[str, Any]) -> dict[str, Any]:
    """Only the documented keys of a record, times in one form, results that agree with the attempts."""
    if not isinstance(record, Mapping):
        return record  # validate() names it
    kept = {k: record[k] for k in RECORD_KEYS if k in record}
    attempts = kept.get("attempts")
    if isinstance(attempts, Sequence) and not isinstance(attempts, str):
        kept["attempts"] = [
            {"answer": a.get("answer"), "correct": a.get("correct"), "at": _utc(a.get("at"))} if isinstance(a, Mapping) else a
            for a in attempts
        ]
        if all(isinstance(a, Mapping) for a in attempts):
            kept["first_try_correct"], kept["correct"] = _verdicts(kept["attempts"])
    return json.loads(json.dumps(kept, ensure_ascii=False))  # tuples become lists: what reading gives back


def make(name: str, records: Sequence[Mapping[str, Any]], notebooks: Sequence[str] = (), *,
         saved_at: str | None = None) -> dict[str, Any]:
    """The content of a hand-in file for these records (checked, with its checksum).

    Records keep only the documented keys; the first-try and final results
    are those of the attempts (right in the end once any attempt was right).
    """
    records = [_record_for_file(r) for r in records]
    found = {r.get("notebook") for r in records if isinstance(r, Mapping)}
    content: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "module_version": _module_version(),
        "notebooks": sorted({*notebooks, *(n for n in found if isinstance(n, str))}),
        "name": _clean_name(name),
        "saved_at": saved_at or _now(),
        "records": records,
    }
    content["checksum"] = _checksum(content)
    validate(content)
    return content


def dumps(content: Mapping[str, Any]) -> str:
    """The file's text: UTF-8 JSON, keys in the documented order, one record per few lines."""
    return json.dumps({k: content[k] for k in KEYS}, indent=1, ensure_ascii=False) + "\n"


def write(content: Mapping[str, Any], path: str | Path) -> Path:
    """Check `content` (as :func:`make` gives it) and write it to `path` as a hand-in file."""
    validate(content)
    path = Path(path)
    path.write_text(dumps(content), encoding="utf-8")
    return path


# --- checking ---------------------------------------------------------------

def _check_record(record: object, n: int) -> None:
    where = f"record {n}"
    if not isinstance(record, Mapping):
        raise HandInError(f"{where} is not a JSON object.")
    unknown = sorted(set(record) - RECORD_KEYS)
    if unknown:
        raise HandInError(f"{where} has keys the module never writes: {', '.join(unknown)}.")
    for key in ("notebook", "id", "type", "attempts", "first_try_correct", "correct"):
        if key not in record:
            raise HandInError(f"{where} has no {key!r}.")
    if not isinstance(record["notebook"], str) or not _NOTEBOOK.match(record["notebook"]):
        raise HandInError(f"{where}'s notebook {str(record['notebook'])[:40]!r} is not a notebook name like '03_figures'.")
    where = f"question {record['notebook']}/{str(record['id'])[:40]}"
    if not isinstance(record["id"], str) or not _ID.match(record["id"]):
        raise HandInError(f"{where}: the id must be lower case with no spaces.")
    if not isinstance(record["type"], str) or not _ID.match(record["type"]):
        raise HandInError(f"{where}: the type must be a word like 'multiple_choice'.")
    if "text" in record and not isinstance(record["text"], str):
        raise HandInError(f"{where}: 'text' must be text.")
    attempts = record["attempts"]
    if not isinstance(attempts, list):
        raise HandInError(f"{where}: 'attempts' must be a list.")
    for a, attempt in enumerate(attempts, 1):
        if not isinstance(attempt, Mapping) or set(attempt) != ATTEMPT_KEYS:
            raise HandInError(f"{where}: attempt {a} must have exactly answer, correct and at.")
        if attempt["correct"] not in (True, False, None):
            raise HandInError(f"{where}: attempt {a}'s 'correct' must be true, false or null.")
        if not isinstance(attempt["at"], str) or not _TIME.match(attempt["at"]):
            raise HandInError(f"{where}: attempt {a}'s time is not written like 2026-11-29T20:31:05Z.")
        if isinstance(attempt["answer"], float) and not math.isfinite(attempt["answer"]):
            raise HandInError(f"{where}: attempt {a}'s answer is not a finite number.")
    for key in ("first_try_correct", "correct"):
        if record[key] not in (True, False, None):
            raise HandInError(f"{where}: {key!r} must be true, false or null.")
    # What the module writes always agrees with the attempts; a hand edit often does not.
    if (record["first_try_correct"], record["correct"]) != _verdicts(attempts):
        raise HandInError(f"{where}: the first-try and final results do not match the attempts.")
    times = [a["at"] for a in attempts]
    if times != sorted(times):
        raise HandInError(f"{where}: the attempts are not in time order.")


def validate(content: object) -> HandIn:
    """Check a hand-in file's content; return it as a :class:`HandIn` or raise :class:`HandInError` saying why."""
    if not isinstance(content, Mapping) or content.get("format") != FORMAT:
        raise HandInError(f"not an aleppo2016 hand-in file (it has no \"format\": \"{FORMAT}\").")
    version = content.get("version")
    if version != FORMAT_VERSION:
        raise HandInError(
            f"written in version {json.dumps(version)[:20]} of the hand-in format; this module "
            f"(aleppo2016 {_module_version()}) reads version {FORMAT_VERSION}. "
            "Read it with the aleppo2016 version named in the file."
        )
    missing = [k for k in KEYS if k not in content]
    extra = sorted(set(content) - set(KEYS))
    if missing or extra:
        raise HandInError("edited by hand: " + "; ".join(filter(None, [
            f"missing {', '.join(missing)}" if missing else "",
            f"keys the module never writes: {', '.join(map(str, extra))}" if extra else "",
        ])) + ".")
    if content["checksum"] != _checksum(content):
        raise HandInError("edited by hand: its content no longer matches the checksum the module wrote.")
    name = _clean_name(content["name"])
    if not isinstance(content["module_version"], str):
        raise HandInError("'module_version' must be text.")
    if not isinstance(content["saved_at"], str) or not _TIME.match(content["saved_at"]):
        raise HandInError("'saved_at' is not a time written like 2026-11-29T20:31:05Z.")
    notebooks = content["notebooks"]
    if not isinstance(notebooks, list) or not all(isinstance(n, str) and _NOTEBOOK.match(n) for n in notebooks):
        raise HandInError("'notebooks' must be a list of notebook names like '03_figures'.")
    records = content["records"]
    if not isinstance(records, list):
        raise HandInError("'records' must be a list.")
    seen = set()
    for n, record in enumerate(records, 1):
        _check_record(record, n)
        if any(attempt["at"] > content["saved_at"] for attempt in record["attempts"]):
            raise HandInError(f"question {record['notebook']}/{record['id']} has an attempt after the file was saved.")
        key = (record["notebook"], record["id"])
        if key in seen:
            raise HandInError(f"question {key[0]}/{key[1]} appears twice.")
        seen.add(key)
    return HandIn(name, tuple(notebooks), content["saved_at"], content["module_version"],
                  tuple(dict(r) for r in records))


def loads(text: str) -> HandIn:
    """Read a hand-in file's text (see :func:`validate`)."""
    try:
        content = json.loads(text)
    except RecursionError:
        raise HandInError("not a file the module wrote (nested too deeply).") from None
    except ValueError as err:
        raise HandInError(f"not complete JSON: it may be cut short or edited by hand ({err}).") from None
    return validate(content)


def read(path: str | Path) -> HandIn:
    """Read and check one hand-in file; :class:`HandInError` names what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise HandInError(f"{path} is not a file.")
    if path.stat().st_size > MAX_BYTES:
        raise HandInError(f"{path.stat().st_size} bytes, far larger than any hand-in file.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HandInError("not a text file (not UTF-8).") from None
    return loads(text)


# --- in the notebook ----------------------------------------------------------

def file_name(name: str, notebooks: Sequence[str]) -> str:
    """A safe file name from the student's chosen name, e.g. ``aleppo2016-03_figures-Amal_H.json``."""
    safe = re.sub(r"[^\w-]+", "_", _clean_name(name), flags=re.ASCII).strip("_")[:40] or "work"
    part = notebooks[0] if len(notebooks) == 1 else "work"
    return f"aleppo2016-{part}-{safe}.json"


def current_records(notebook: str | None = None) -> list[dict[str, Any]]:
    """This kernel's question records (``quiz.answered``); an empty list with a module that does not keep them."""
    from . import quiz

    answered = getattr(quiz, "answered", None)
    return list(answered(notebook)) if answered is not None else []


def prepare(name: str, notebook: str | None = None, *,
            records: Sequence[Mapping[str, Any]] | None = None) -> tuple[str, str]:
    """(file name, file text) of this kernel's work, without writing anything."""
    records = current_records() if records is None else records
    content = make(name, records, [notebook] if notebook else [])
    return file_name(content["name"], [notebook] if notebook else content["notebooks"]), dumps(content)


def save(name: str, notebook: str | None = None, *, folder: str | Path = ".",
         records: Sequence[Mapping[str, Any]] | None = None) -> tuple[Path, str]:
    """Write this kernel's work to a hand-in file in `folder`; return (path, file text).

    `notebook` names the notebook the work is from (the records of every
    notebook answered in this kernel are kept). Saving again overwrites the
    same file with everything answered so far, so nothing is lost.
    """
    filename, text = prepare(name, notebook, records=records)
    path = Path(folder) / filename
    path.write_text(text, encoding="utf-8")  # the text made by prepare() is already checked
    return path, text


def restore(path: str | Path) -> HandIn:
    """Load a saved hand-in file back into this kernel's questions (``quiz.restore``) and return it."""
    work = read(path)
    from . import quiz

    loader = getattr(quiz, "restore", None)
    if loader is None:
        raise HandInError("this version of aleppo2016 cannot load answers back into the questions.")
    loader([dict(r) for r in work.records])
    return work


def download_link(text: str, filename: str) -> str:
    """An HTML link that downloads `text` as `filename` from the browser itself (a data: address; nothing is uploaded)."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<a download="{html.escape(filename)}" href="data:application/json;base64,{payload}" '
            'class="aleppo2016-download" style="font-weight: bold; text-decoration: underline">'
            f"Download {html.escape(filename)}</a>")


def _summary(records: Sequence[Mapping[str, Any]]) -> str:
    tried = [r for r in records if r.get("attempts") or r.get("text")]
    right = sum(r.get("correct") is True for r in tried)
    return f"{len(tried)} question{'s' if len(tried) != 1 else ''} answered, {right} right"


class SaveWork(widgets.VBox):
    """The "Save my work" box: the student types a name, presses one button, gets a file and a download link.

    The file is written next to the notebook (the kernel's working folder)
    and offered as a download from the browser, which is what counts in
    JupyterLite, where the kernel's files are not the browser's. Pressing
    again saves everything answered so far under the same name.
    """

    def __init__(self, notebook: str, *, folder: str | Path = "."):
        super().__init__()
        self.notebook, self.folder = notebook, folder
        self.path: Path | None = None
        self.name_box = widgets.Text(placeholder="your name, or what your teacher asked for",
                                     description="Name on the file:", style={"description_width": "initial"},
                                     layout=widgets.Layout(width="32em"))
        self.button = widgets.Button(description="Save my work", icon="download", button_style="success",
                                     tooltip="Write your answers to a file you can hand in")
        # A darker green than the "success" style's: its white text reaches 5:1 contrast (WCAG AA wants 4.5:1).
        self.button.style.button_color = "#1a7f37"
        self.result = widgets.HTML("")
        self.button.on_click(lambda _b: self.save())
        self.children = [widgets.HTML(f"<p>{html.escape(_INTRO)}</p>"), widgets.HBox([self.name_box, self.button]), self.result]
        self.add_class("aleppo2016-save")

    def save(self) -> Path | None:
        """Save now (what the button does); returns the file written, or None with the reason shown.

        If the folder cannot be written (read-only, full), the download link
        is still offered: the work is never lost because of where it runs.
        """
        try:
            filename, text = prepare(self.name_box.value, self.notebook)
        except HandInError as err:
            self.result.value = f'<p role="alert">{html.escape(str(err))}</p>'
            return None
        content = json.loads(text)
        summary = f"{html.escape(_summary(content['records']))}, at {html.escape(content['saved_at'])}"
        link = download_link(text, filename)
        try:
            path = Path(self.folder) / filename
            path.write_text(text, encoding="utf-8")
        except OSError as err:
            self.path = None
            self.result.value = (
                f'<p role="alert">Could not write the file next to this notebook ({html.escape(str(err.strerror))}). '
                f"Your work ({summary}) is in the download instead: {link}, then hand in that file.</p>"
            )
            return None
        self.path = path
        self.result.value = (
            f'<p role="status">Saved {summary}, to <code>{html.escape(filename)}</code> next to this notebook. '
            f"{link} and hand in that file.</p>"
        )
        return path

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"Save my work: {_INTRO} (Run the notebook to save.)"
        return bundle


_INTRO = "Hand in your work: type a name, press Save my work, then hand in the file (nothing is sent anywhere by itself)."


def save_button(notebook: str, *, folder: str | Path = ".") -> SaveWork:
    """The "Save my work" box for the end of a notebook (see :class:`SaveWork`)."""
    return SaveWork(notebook, folder=folder)
