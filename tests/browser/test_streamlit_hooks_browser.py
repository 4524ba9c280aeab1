"""Every hook the app's styles and translations take in Streamlit's page still finds something.

The stylesheets in ``ui/assets/`` (and the Vietnamese table style of ``ui/lang.py``) select
Streamlit's elements by their ``data-testid`` and the ``st-key-<key>`` classes of keyed
containers, and ``ui/lang.py`` translates Streamlit's own English by matching its words. A
Streamlit upgrade that renames an element or rewords a text would make a rule or a translation
silently do nothing; here it fails the suite instead.

Every page is opened in both languages, as normal and in presentation mode (``?present=1``),
every page again on a phone (390 px, the width of the phone rules), plus an unknown address
(Streamlit's "Page not found") and a saved scenario's page. Every selector of every rule,
whatever its ``@media`` (selectors match the same page whatever the medium; the print and
phone rules are checked on paper and on a phone by ``test_print_browser`` and
``test_phone_browser``), must match an element on at least one of them, and every entry of
the translation table (:data:`ui.lang.TRANSLATED`) must have found its English on at least
one Vietnamese page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from playwright.sync_api import expect

from planner.i18n import t
from tests.browser.waits import LOAD_TIMEOUT, wait_quiet, watch_changes
from ui.lang import _HIDE_TABLE_TOOLBAR, TRANSLATED

REPO = Path(__file__).resolve().parents[2]
STYLESHEETS = {path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
               for path in sorted((REPO / "ui" / "assets").glob("*.css"))}
STYLESHEETS["ui/lang.py"] = _HIDE_TABLE_TOOLBAR
PAGES = ("briefing", "planner", "data", "saved", "compare", "update")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
"""The desktop's size: the paper and chart checks' (their pages, shared, are read here too)."""
# states of an element that querySelectorAll matches only while they last, and pseudo-elements
_DYNAMIC = re.compile(
    r"::?(before|after|details-content|hover|focus-visible|focus-within|focus|active)\b")
EXCEPTIONS: dict[str, str] = {
    '[data-testid="stStatusWidget"]':
        "Streamlit's 'running' sign: on the page only while a script runs",
    ".paper-table tr.sizer":
        "the data page's first rows only, until the whole table replaces them "
        "(tests/browser/test_first_paint_browser.py checks it there)",
}
"""Selectors that match nothing on a page at rest, on purpose, with the reason."""


@dataclass(frozen=True)
class Hook:
    """One selector of one rule."""

    source: str
    media: str
    selector: str

    @property
    def query(self) -> str:
        """The selector as ``querySelectorAll`` takes it: no pseudo-element, no passing state."""
        return _DYNAMIC.sub("", self.selector).strip() or "*"


def _split(prelude: list) -> list[str]:
    """The selectors of a rule's prelude, split at its top-level commas."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [" ".join(tinycss2.serialize(part).split()) for part in parts if part]


def hooks(source: str, css: str) -> list[Hook]:
    """Every selector of every style rule in ``css``, with the media it applies to."""
    found: list[Hook] = []

    def walk(rules: list, media: str) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                found.extend(Hook(source, media, s) for s in _split(rule.prelude))
            elif rule.type == "at-rule" and rule.lower_at_keyword == "media":
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                 skip_whitespace=True)
                walk(inner, " ".join(tinycss2.serialize(rule.prelude).split()))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), "all")
    return found


ALL_HOOKS = [hook for source, css in STYLESHEETS.items() for hook in hooks(source, css)]
_MATCHING = """(queries) => queries.map((q) => {
  try { return document.querySelectorAll(q).length > 0; } catch (e) { return 'bad: ' + e.message; }
})"""


def test_the_stylesheets_are_read_whole():
    """The parser sees every rule: as many selectors as the files have, media included."""
    by_media = {hook.media for hook in ALL_HOOKS}
    assert {"all", "print", "screen and (max-width: 640px)", "screen"} <= by_media, by_media
    assert len(ALL_HOOKS) > 100
    assert any(":has(" in hook.selector for hook in ALL_HOOKS)
    assert Hook("x", "all", "a:hover::before").query == "a"


def _open_the_save_form(page) -> None:
    """The planner's save panel, open: its form (drawn only while the panel is open)."""
    page.get_by_text("Save this scenario", exact=True).first.click()
    expect(page.get_by_test_id("stForm")).to_be_visible()


def _snapshot_drawn(page) -> None:
    """A scenario's saved numbers: its tables are drawn (after its headline)."""
    expect(page.get_by_test_id("stTable").first).to_be_attached()


def _not_found_shown(page) -> None:
    """Streamlit's "Page not found" notice is on screen (it comes after the app's own page for
    an unknown address)."""
    expect(page.get_by_role("dialog")).to_be_visible(timeout=LOAD_TIMEOUT)


def _drag_a_file(page) -> None:
    """A file dragged over the update page's uploader: Streamlit's words for it, translated."""
    page.get_by_test_id("stFileUploaderDropzone").first.evaluate("""(zone) => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'data.csv', {type: 'text/csv'}));
      zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: data, bubbles: true}));
    }""")
    expect(page.get_by_text(t("streamlit.upload_drag", "vi"))).to_be_visible()


def _read(page, action=None) -> tuple[list[object], dict[str, int]]:
    """Once the page opened is drawn (and ``action(page)`` done), which hooks match, and the
    translation's counts. The page is brought to the front first: a tab behind the others
    gets no animation frames, and Streamlit draws its "Page not found" notice in one."""
    page.bring_to_front()
    expect(page.locator("h1").first).to_be_attached(timeout=LOAD_TIMEOUT)
    wait_quiet(page, 1_000)
    if action is not None:
        action(page)
        wait_quiet(page, 300)
    matched = page.evaluate(_MATCHING, [hook.query for hook in ALL_HOOKS])
    translated = page.evaluate("() => window.__plannerTranslated || {}")
    return matched, translated


WAVE = 3
"""Pages opened at once: each one's waits (the server's run, the quiet moment) overlap the
others'."""


def test_every_hook_finds_something_on_some_page(new_page, app_server, shared_pages):
    """A page an earlier check of the session opened already (the shared pages, at the same
    size) is read there; the others are opened here, a wave at a time."""
    sizes = {"desktop": DESKTOP, "phone": {**PHONE, "is_mobile": True, "has_touch": True}}
    # an action's page is read before the action too: as the same address opened without it
    then = {"/planner?lang=en": _open_the_save_form, "/update?lang=vi": _drag_a_file}
    visits = [("desktop", f"/{path}?lang={lang}{mode}", None) for path in PAGES
              for lang in ("vi", "en") for mode in ("", "&present=1")]
    visits += [("phone", f"/{path}?lang=vi", None) for path in PAGES]
    visits += [("desktop", "/saved?lang=vi&s=plan_targets", _snapshot_drawn)]
    seen = [False] * len(ALL_HOOKS)
    bad: dict[str, str] = {}
    translated: dict[str, int] = {}

    def note(page, kind: str, address: str, action) -> None:
        reads = [action]
        if kind == "desktop" and address in then:
            reads.append(then[address])  # after the read without it
        for each in reads:
            matched, counts = _read(page, each)
            for i, result in enumerate(matched):
                if isinstance(result, str):
                    bad[ALL_HOOKS[i].selector] = result
                seen[i] = seen[i] or result is True
            if "lang=vi" in address:
                for entry, count in counts.items():
                    translated[entry] = translated.get(entry, 0) + count

    def where(kind: str, address: str) -> tuple:
        size = sizes[kind]
        return address, size["width"], size["height"]

    opened = [v for v in visits if v[2] is None
              and shared_pages.has(*where(*v[:2]), phone=v[0] == "phone")]
    for kind, address, action in opened:  # an action changes the page: take it
        pick = shared_pages.take if kind == "desktop" and address in then else shared_pages.get
        note(pick(*where(kind, address), phone=kind == "phone"), kind, address, action)

    visits = [v for v in visits if v not in opened]
    tabs = {kind: [new_page(**size) for _ in range(WAVE)] for kind, size in sizes.items()}
    for page in tabs["desktop"] + tabs["phone"]:
        watch_changes(page)
    for start in range(0, len(visits), WAVE):
        wave, used = [], {"desktop": 0, "phone": 0}
        for kind, address, action in visits[start:start + WAVE]:
            page = tabs[kind][used[kind]]
            used[kind] += 1
            page.goto(f"{app_server}{address}", wait_until="commit")
            wave.append((page, kind, address, action))
        for page, kind, address, action in wave:
            note(page, kind, address, action)

    # Streamlit's "Page not found" notice, in a tab of its own opened in front: it is drawn in
    # an animation frame, and a tab of a wave waiting behind the others had none
    alone = new_page()
    alone.bring_to_front()
    watch_changes(alone)
    alone.goto(f"{app_server}/khong-co-trang-nay?lang=vi", wait_until="commit")
    matched, counts = _read(alone, _not_found_shown)
    for i, result in enumerate(matched):
        seen[i] = seen[i] or result is True
    for entry, count in counts.items():
        translated[entry] = translated.get(entry, 0) + count

    assert bad == {}, f"selectors the browser cannot read: {bad}"
    unmatched = sorted({f"{h.source} @media {h.media}: {h.selector}"
                        for h, hit in zip(ALL_HOOKS, seen, strict=True)
                        if not hit and h.query not in EXCEPTIONS})
    assert unmatched == [], "selectors that match nothing on any page:\n" + "\n".join(unmatched)
    stale = [h for h, hit in zip(ALL_HOOKS, seen, strict=True) if hit and h.query in EXCEPTIONS]
    assert not stale, f"now found on a page, no longer an exception: {stale}"
    untranslated = [entry for entry in TRANSLATED if not translated.get(entry)]
    assert untranslated == [], (
        f"entries of ui/lang.py's translation that found no English on any page: {untranslated}")
