"""The plain pages (``/s/<id>``, ``/embed/...``): their HTML, their numbers and their caching,
through Starlette's TestClient on a real database in a temporary folder."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from starlette.applications import Starlette
from starlette.testclient import TestClient

from planner import saved as sv
from planner.cli import main
from planner.engine import load_model
from planner.export.bundle import from_saved
from planner.formatting import fmt_rank, fmt_value
from planner.i18n import LANGS, t
from planner.links import read_path
from planner.problems import Problem, problem_text
from tests.export_support import AUTHOR, NAME, NOTE
from tests.needs import missing
from tests.saved_support import copy_db
from web.plain import charts, routes
from web.plain.charts import text_alternative

REPO = Path(__file__).resolve().parents[2]
SETTINGS = {"levers": {"cashless": {"2027": 50}}}
DRAWS, SEED = 300, 5


@pytest.fixture(scope="module")
def site(loaded_db, tmp_path_factory):
    """A copy of the loaded database with one saved scenario (hostile name, note and author),
    and a client of an app serving the plain routes on it."""
    store = copy_db(loaded_db, tmp_path_factory.mktemp("plain") / "plain.duckdb")
    model = load_model(store)
    saved, token = sv.save_scenario(store, model, SETTINGS, NAME, note=NOTE, author=AUTHOR,
                                    draws=DRAWS, seed=SEED)
    app = Starlette(routes=routes.routes(address=str(store.path)))
    with TestClient(app) as client:
        yield {"store": store, "saved": saved, "token": token, "client": client,
               "path": store.path}


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    """Each test starts with no page kept; charts are left out (no browser) unless a test
    draws one."""
    routes.CACHE.clear()
    monkeypatch.setattr(charts, "available", lambda: False)
    yield
    routes.CACHE.clear()


def _doc(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content)


def _all(doc, tag: str = "*", cls: str | None = None, **attrs: str) -> list:
    """Elements by tag, class and attributes (XPath: no CSS selector package needed)."""
    tests = [f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"] if cls else []
    tests += [f"@{k.rstrip('_')}='{v}'" for k, v in attrs.items()]
    return doc.xpath(f"//{tag}" + (f"[{' and '.join(tests)}]" if tests else ""))


def _numbers(doc) -> list[str]:
    return [e.text_content().strip() for e in _all(doc, cls="key-number")]


def _snapshot_row(saved, indicator: str, year: int) -> dict:
    return next(r for r in saved.snapshot["outcomes"]
                if r["indicator"] == indicator and r["year"] == year)


def _units(store) -> dict:
    return {str(r["id"]): {"id": str(r["id"]), "decimals": r["decimals"]}
            for r in store.dataset().units.to_dict("records")}


@pytest.mark.parametrize("lang", LANGS)
def test_the_briefing_shows_the_saved_numbers_as_plain_html(site, lang):
    saved = site["saved"]
    r = site["client"].get(read_path(saved.id, lang))
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    body = r.text
    assert "<script" not in body.lower() and "_stcore" not in body  # nothing of a live session
    doc = _doc(r)
    assert doc.get("lang") == lang
    # the DTI row: published 0,7024 and 12/63, then 2027 and 2030 as the snapshot holds them
    numbers = _numbers(doc)
    units = _units(site["store"])
    assert fmt_value(0.7024, units["index_0_1"], lang) == numbers[0]
    assert numbers[1] == "12/63"
    for year in (2027, 2030):
        score = _snapshot_row(saved, "dti_overall", year)
        rank = _snapshot_row(saved, "dti_overall_rank", year)
        assert fmt_value(score["value"], units["index_0_1"], lang) in numbers
        assert fmt_rank(round(rank["value"]), 34, lang) in numbers
    # a card per headline year and outcome, the targets with status, the sources, data as of
    assert len(_all(doc, "article", "card")) >= 2
    assert t("status.on_track", lang) in body or t("status.off_track", lang) in body
    assert _all(doc, id="targets-heading") and _all(doc, id="sources-heading")
    stamp = _all(doc, cls="stamp")[0].text_content()
    assert saved.dataset_version in stamp
    # user text exactly as typed, never markup
    assert NAME in _all(doc, "h1")[0].text_content()
    assert "<img src=x" not in body and "&lt;img src=x" in body
    assert AUTHOR in body and NOTE in _all(doc, cls="note")[0].text_content()
    # the way to change it, and the other language
    planner = _all(doc, "a", "button")[0].get("href")
    assert planner == f"/planner?s={saved.id}&lang={lang}"
    other = next(x for x in LANGS if x != lang)
    assert _all(doc, "a", hreflang=other)[0].get("href") == read_path(saved.id, other)
    # every chart stands as its text alternative (no browser here), named in words
    figures = _all(doc, "figure")
    assert len(figures) == len({o["indicator"] for o in saved.snapshot["outcomes"]})
    for fig in figures:
        assert len(fig.xpath(".//figcaption")[0].text_content()) > 40
    if lang == "vi":  # a Vietnamese page shows no English of the catalogue's
        for key in ("plain.open_planner", "plain.dti_heading", "briefing.scenario.charts_heading"):
            assert t(key, "en") not in body


def test_the_numbers_equal_the_cli_projection_of_the_same_scenario_and_seed(site, capsys):
    """The page shows the stored snapshot; ``project`` with the same settings, draws and seed
    computes the same numbers."""
    capsys.readouterr()
    assert main(["--db", str(site["path"]), "project", "--set", "cashless@2027=50",
                 "--draws", str(DRAWS), "--seed", str(SEED), "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    doc = _doc(site["client"].get(read_path(site["saved"].id, "en")))
    numbers = _numbers(doc)
    units = _units(site["store"])
    for row in cli["outcomes"]:
        if row["indicator"] == "dti_overall" and row["year"] in (2027, 2030):
            assert fmt_value(row["value"], units["index_0_1"], "en") in numbers
            stored = _snapshot_row(site["saved"], "dti_overall", row["year"])["value"]
            assert float(f"{row['value']:.{sv.SIGNIFICANT_DIGITS}g}") == stored
        if row["indicator"] == "dti_overall_rank" and row["year"] in (2027, 2030):
            assert fmt_rank(round(row["value"]), 34, "en") in numbers
    big = [e.text_content() for e in doc.xpath("//article//p[@class='big']")]
    de = next(r for r in cli["outcomes"]
              if r["indicator"] == "digital_economy_share_grdp" and r["year"] == 2030)
    assert fmt_value(de["value"], units["percent"], "en") in big


def test_etag_cache_control_and_not_modified(site):
    client, saved = site["client"], site["saved"]
    first = client.get(read_path(saved.id))
    tag = first.headers["etag"]
    assert tag.startswith('"') and "max-age" in first.headers["cache-control"]
    assert "script-src" not in first.headers["content-security-policy"]  # none allowed at all
    again = client.get(read_path(saved.id), headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(read_path(saved.id, "en")).headers["etag"] != tag
    assert client.get(read_path("plan_targets")).headers["etag"] != tag
    assert client.get(read_path(saved.id), headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_page_is_built_once_and_kept(site, monkeypatch):
    built = []
    real = routes.load

    def counting(*args, **kwargs):
        built.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, "load", counting)
    client, saved = site["client"], site["saved"]
    bodies = {client.get(read_path(saved.id)).content for _ in range(3)}
    assert len(bodies) == 1 and built == [saved.id]


def test_a_kept_page_is_compressed_once_for_readers_that_take_gzip(site, monkeypatch):
    compressed = []
    real = routes.gzip.compress

    def counting(data, *args):
        compressed.append(len(data))
        return real(data, *args)

    monkeypatch.setattr(routes.gzip, "compress", counting)
    client, path = site["client"], read_path(site["saved"].id)
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    for _ in range(3):  # httpx decodes the body
        packed = client.get(path, headers={"Accept-Encoding": "br, gzip;q=0.8"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.content == plain.content
    assert compressed == [len(plain.content)]  # once, then kept
    refused = client.get(path, headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_and_malformed_ids_get_a_page_in_words(site, lang):
    client = site["client"]
    unknown = client.get(f"/s/AAAAAAAAAAAAAAAB?lang={lang}")
    assert unknown.status_code == 404
    assert problem_text(Problem("id", "unknown_id", {"value": "AAAAAAAAAAAAAAAB"}), lang) \
        in _doc(unknown).text_content()
    assert _doc(unknown).get("lang") == lang
    bad = client.get(f"/s/bad!id?lang={lang}")
    assert bad.status_code == 400
    assert t("plain.error.400", lang) in bad.text and "Traceback" not in bad.text
    assert client.get(f"/embed/bad!id/dti_overall.svg?lang={lang}").status_code == 400
    nothing = client.get(f"/embed/{site['saved'].id}/no_such_outcome?lang={lang}")
    assert nothing.status_code == 404
    assert t("plain.embed.unknown_indicator", lang, value="no_such_outcome") in nothing.text


def test_a_language_not_ours_is_named(site):
    r = site["client"].get(read_path(site["saved"].id) + "?lang=fr")
    assert r.status_code == 400
    assert t("plain.error.bad_lang", "vi", value="fr", allowed="vi, en") in r.text


def test_a_deleted_scenario_is_gone_once_its_page_is_checked_again(loaded_db, tmp_path,
                                                                   monkeypatch):
    store = copy_db(loaded_db, tmp_path / "gone.duckdb")
    saved, token = sv.save_scenario(store, load_model(store), {}, "Gone", draws=50)
    with TestClient(Starlette(routes=routes.routes(address=str(store.path)))) as client:
        assert client.get(read_path(saved.id)).status_code == 200
        sv.delete_scenario(store, saved.id, token)
        monkeypatch.setattr(routes, "CHECK_AFTER_S", 0.0)
        # the kept page is served while its check runs in the background; then it is gone
        statuses = []
        deadline = time.monotonic() + 60
        while not statuses or statuses[-1] != 404:
            assert time.monotonic() < deadline, statuses
            statuses.append(client.get(read_path(saved.id)).status_code)
        assert set(statuses) <= {200, 404}


def test_a_ready_made_scenario_has_its_page_too(site):
    r = site["client"].get(read_path("plan_targets", "en"))
    assert r.status_code == 200
    assert _all(_doc(r), "a", "button")[0].get("href") == "/planner?s=plan_targets&lang=en"


def test_the_text_alternative_says_what_the_chart_shows(site):
    b = from_saved(site["store"], site["saved"].id, "en")
    words = text_alternative(b, "dti_overall")
    assert "0.7024" in words and "2022" in words  # the published figure
    row = _snapshot_row(site["saved"], "dti_overall", 2030)
    assert b.fmt(row["value"], "index_0_1") in words and "10–90%" in words
    rank = text_alternative(b, "dti_overall_rank")
    assert "12/63" in rank and "34" in rank  # the field's change is said
    de = text_alternative(b, "digital_economy_share_grdp")
    assert "30%" in de  # the 2030 target


def test_an_embedded_chart_is_an_svg_with_its_words(site, monkeypatch, chromium_or_skip):
    monkeypatch.setattr(charts, "available", chromium_or_skip)
    client, saved = site["client"], site["saved"]
    svg = client.get(f"/embed/{saved.id}/dti_overall.svg?lang=en")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "frame-ancestors *" in svg.headers["content-security-policy"]
    root = etree.fromstring(svg.content)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("role") == "img"
    title = root.find(f"{ns}title")
    assert title is not None and root.get("aria-labelledby") == title.get("id")
    assert "0.7024" in title.text
    page = client.get(f"/embed/{saved.id}/dti_overall?lang=en")
    doc = _doc(page)
    drawn = doc.xpath("//figure/*[local-name()='svg']")[0]
    assert _all(doc, id=drawn.get("aria-labelledby"))  # named by its caption
    assert "0.7024" in _all(doc, "figcaption")[0].text_content()
    assert "điểm số DTI đạt 0,7024" in page.text  # its source's quote
    assert f'href="{read_path(saved.id, "en")}"' in page.text
    # the briefing holds every chart inline, each with ids of its own
    full = client.get(read_path(saved.id, "en")).text
    ids = lxml.html.fromstring(full).xpath("//@id")
    assert len(ids) == len(set(ids))
    assert full.count("<svg") == len({o["indicator"] for o in saved.snapshot["outcomes"]})


@pytest.fixture
def chromium_or_skip():
    from planner.export.images import available

    if not available():
        missing("Chromium at /usr/bin/chromium", "apt-get install chromium")
    return lambda: True


def test_the_plain_pages_never_import_streamlit():
    code = "import sys, web.plain; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_inline_stylesheet_is_the_file_as_written(site):
    """The stylesheet is not escaped as text: its quoted strings (the phone's "column: value"
    labels, the paper's separators) stay CSS, or the rules holding them are dropped."""
    css = (REPO / "web" / "plain" / "templates" / "plain.css").read_text(encoding="utf-8")
    assert '"' in css
    style = _doc(site["client"].get(read_path(site["saved"].id, "en"))).xpath("//style")[0]
    assert style.text == css
