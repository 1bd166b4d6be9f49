"""Words shown to a student, kept as parts: one list becomes both plain text and escaped HTML.

A part is a pair ``(kind, text)``. Explorers list their entries as parts and
questions give feedback as parts; this module is the one place that turns
parts into the plain text of a static page and into HTML for a widget, so
the two always say the same thing and every piece of text is escaped once.

Kinds:

- ``"right"``, ``"wrong"``: the verdict on an answer, with an icon and words
  as well as colour (never colour alone);
- ``"verdict"``: a neutral strong line (e.g. "Saved.");
- ``"heading"``: bold (the first line of an entry in a listing);
- ``"text"``: an ordinary sentence;
- ``"quote"``: the article's own words, introduced as such;
- ``"speech"``: what someone said, in quote marks;
- ``"hint"``: a hint, so labelled;
- ``"note"``: an aside;
- ``"small"``: a detail in small print (who, when, which category).
"""

import html
from collections.abc import Sequence

__all__ = ["Part", "KINDS", "quoted", "to_text", "to_html", "render", "render_entries"]

#: One piece of text and how it is shown.
Part = tuple[str, str]
KINDS = ("right", "wrong", "verdict", "heading", "text", "quote", "speech", "hint", "note", "small")


def quoted(text: object) -> str:
    """Text in curly quotes, without doubling a quote mark it already starts or ends with.

    Some excerpts are printed with their own quote marks (one begins
    “She said: “Instead of peace…), and ““ reads as a typing slip.
    """
    text = str(text)
    opening = "" if text.startswith(("“", '"')) else "“"
    closing = "" if text.endswith(("”", '"')) else "”"
    return f"{opening}{text}{closing}"


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"text part kind {kind!r} is not known; use one of {', '.join(KINDS)}.")


def _plain(kind: str, text: str) -> str:
    _check(kind)
    if kind == "quote":
        return f"From the article: {quoted(text)}"
    if kind == "speech":
        return quoted(text)
    if kind == "hint":
        return f"Hint: {text}"
    return text


def to_text(parts: Sequence[Part], *, indent: str = "") -> str:
    """Parts as plain lines; `indent` goes before every line after the first."""
    return f"\n{indent}".join(_plain(kind, str(text)) for kind, text in parts)


#: How each kind of part is written in HTML: {p} opens a paragraph, {safe} is the escaped text,
#: {quoted} the escaped text in quotation marks, {icon} the verdict's sign (never colour alone).
_HTML = {
    "right": '<p class="aleppo2016-verdict"><strong><span class="aleppo2016-icon" aria-hidden="true">'
             "{icon}</span>{safe}</strong></p>",
    "verdict": '<p class="aleppo2016-verdict"><strong>{safe}</strong></p>',
    "heading": "{p}<b>{safe}</b></p>",
    "quote": "{p}From the article:</p><blockquote>{quoted}</blockquote>",
    "speech": "<blockquote style='margin:0.2em 0'>{quoted}</blockquote>",
    "hint": "{p}<em>Hint:</em> {safe}</p>",
    # Smaller, but never under 11 px: <small> in a widget's 13 px text would be 10.8 px.
    "small": "{p}<small style='font-size:max(11px,0.9em)'>{safe}</small></p>",
    "text": "{p}{safe}</p>",
}
_HTML["wrong"] = _HTML["right"]
_ICONS = {"right": "\u2714", "wrong": "\u2716"}  # heavy check mark / heavy multiplication x


def to_html(parts: Sequence[Part], *, tight: bool = False) -> str:
    """Parts as escaped HTML, one paragraph (or quotation) each; `tight` closes up the gaps."""
    p = "<p style='margin:0.15em 0'>" if tight else "<p>"
    out = []
    for kind, text in parts:
        _check(kind)
        out.append(_HTML.get(kind, _HTML["text"]).format(
            p=p, safe=html.escape(str(text)), quoted=html.escape(quoted(text)), icon=_ICONS.get(kind, "")))
    return "".join(out)


def render(parts: Sequence[Part]) -> tuple[str, str]:
    """Plain text and HTML for one block of feedback; no parts give no HTML at all.

    The HTML is a box toned by the verdict it holds (right, wrong or neither).
    It carries no live-region role: a question writes it into the one live
    region it keeps from the start, which screen readers announce reliably.
    """
    body = to_html(parts)
    if body:
        tones = [kind for kind, _ in parts if kind in ("right", "wrong")]
        tone = f" aleppo2016-{tones[-1]}" if tones else ""
        body = f'<div class="aleppo2016-feedback{tone}">{body}</div>'
    return to_text(parts), body


def render_entries(entries: Sequence[Sequence[Part]], *, box_style: str = "margin:0.6em 0") -> tuple[str, str]:
    """Plain text and HTML for a list of entries (an explorer's listing), each a list of parts.

    In plain text each entry's first part starts a line and the rest are
    indented under it; in HTML each entry is a box styled by `box_style`.
    """
    plain = "\n".join(to_text(parts, indent="  ") for parts in entries)
    # Body-text line height: a widget's HTML would space each wrapped line a whole control's height apart.
    markup = "".join(f"<div style='line-height:1.45;{html.escape(box_style)}'>{to_html(parts, tight=True)}</div>"
                     for parts in entries)
    return plain, markup
