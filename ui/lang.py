"""The reader's language: kept in ``st.session_state`` and in the ``lang`` query parameter.

On the first run of a session the language comes from ``?lang=vi`` / ``?lang=en`` (anything
else, or nothing, means Vietnamese). From then on ``st.session_state["lang"]`` holds it, and
every run writes it back to the URL, so a copied link opens in the same language and a page
switch does not lose it. The sidebar switch changes both at once.
"""

from __future__ import annotations

import json

import streamlit as st

from planner.i18n import DEFAULT_LANG, LANGS, parse_lang, t

STATE_KEY = "lang"
WIDGET_KEY = "lang_switch"
QUERY_KEY = "lang"


def init_lang() -> str:
    """Set the session's language on its first run and keep the URL in step.

    Returns
    -------
    str
        The language of this run.
    """
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = parse_lang(st.query_params.get_all(QUERY_KEY))
    lang = parse_lang(st.session_state[STATE_KEY])
    st.session_state[STATE_KEY] = lang
    if st.query_params.get(QUERY_KEY) != lang:
        st.query_params[QUERY_KEY] = lang
    return lang


def current_lang() -> str:
    """Return the language of this run (Vietnamese until :func:`init_lang` says otherwise)."""
    return parse_lang(st.session_state.get(STATE_KEY, DEFAULT_LANG))


def _on_switch() -> None:
    lang = parse_lang(st.session_state.get(WIDGET_KEY))
    st.session_state[STATE_KEY] = lang
    st.query_params[QUERY_KEY] = lang


TRANSLATED = ("skip_link", "help_for", "page_not_found", "page_not_found_text",
              "upload_button", "upload_per_file", "upload_drag")
"""The entries of the translation of Streamlit's own English (:func:`page_language_html`).
Each time an entry finds its English on the page, the script counts it in
``window.__plannerTranslated[<entry>]``; a browser test fails when an entry finds nothing on
any page (a Streamlit upgrade changed its words or its elements)."""

NAMES = ("streamlit.name.link_to_heading", "streamlit.name.open", "streamlit.name.close",
         "streamlit.name.sidebar", "streamlit.name.collapse_sidebar",
         "streamlit.name.expand_sidebar", "streamlit.name.app_pages",
         "streamlit.name.choose_option", "streamlit.name.choose_options",
         "streamlit.name.clear_all", "streamlit.name.clear_value", "streamlit.name.copy",
         "streamlit.name.file_upload", "streamlit.name.main_menu",
         "streamlit.name.show_hide_columns", "streamlit.name.download_csv",
         "streamlit.name.search", "streamlit.name.fullscreen", "streamlit.name.selected_values",
         "streamlit.name.scroll_tabs_left", "streamlit.name.scroll_tabs_right")
"""The accessible names (``aria-label``, ``title``, ``placeholder``) Streamlit writes in
English, each renamed on a Vietnamese page (its English is the catalogue's ``en``);
``streamlit.name.remove`` renames a chip's "Remove …" button."""
NAMED = ("aria-label", "title", "placeholder")
"""The attributes holding an element's accessible name or hint."""

# Tables of a Vietnamese page have no English toolbar ("Download as CSV", "Search",
# "Fullscreen"): the pages that need a download draw their own button (the data page).
_HIDE_TABLE_TOOLBAR = (
    '[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) '
    '[data-testid="stElementToolbar"] { display: none; }'
)


def page_language_html(lang: str) -> str:
    """The HTML that makes Streamlit's own page chrome speak ``lang``.

    It sets the document's language (``<html lang>``, so a screen reader reads Vietnamese with
    Vietnamese rules), names Streamlit's skip link in that language (its "Skip to main
    content" is English) and, on a Vietnamese page, names the help buttons in Vietnamese (their
    "Help for …") and every other English accessible name Streamlit writes (:data:`NAMES`),
    writes Streamlit's "Page not found" notice and the file uploader's button,
    size limit and the words shown while a file is dragged over it in Vietnamese and hides the
    tables' English toolbar.

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        A ``<style>`` (Vietnamese only) and a ``<script>`` of fixed text (no user input).
    """
    lang = parse_lang(lang)
    skip = json.dumps(t("streamlit.skip_link", lang), ensure_ascii=False)
    helpfor = json.dumps(t("streamlit.help_for", lang, label=""), ensure_ascii=False)
    missing = json.dumps([t("streamlit.page_not_found", lang), t("streamlit.page_not_found_text", lang)],
                         ensure_ascii=False)
    upload = json.dumps([t("streamlit.upload_button", lang), t("streamlit.upload_per_file", lang),
                         t("streamlit.upload_drag", lang)], ensure_ascii=False)
    names = {t(key, "en"): t(key, lang) for key in NAMES}
    remove = ["Remove ", t("streamlit.name.remove", lang, label="")]
    named = ",".join([f'[{a}="{english}"]' for english in names for a in NAMED]
                     + [f'[aria-label^="{remove[0]}"]'])
    # Fixed text only. An observer renames the help buttons Streamlit draws later, once per
    # browser tab (window.__plannerLang holds the language it renames to).
    script = (
        "<script>(function(){"
        f"var lang={json.dumps(lang)},skip={skip},helpfor={helpfor},missing={missing},"
        f"upload={upload},names={json.dumps(names, ensure_ascii=False)},"
        f"named={json.dumps(named)},attrs={json.dumps(list(NAMED))},"
        f"remove={json.dumps(remove, ensure_ascii=False)};"
        "var found=window.__plannerTranslated=window.__plannerTranslated||{};"
        "function hit(k){found[k]=(found[k]||0)+1;}"
        "document.documentElement.lang=lang;"
        # each element of ``root`` matching ``sel`` (the root too); each element inside a
        # ``sel`` container, within ``root``
        "function all(root,sel){var out=Array.prototype.slice.call(root.querySelectorAll(sel));"
        "if(root.nodeType===1&&root.matches(sel)){out.push(root);}return out;}"
        "function inside(root,sel){if(root.nodeType===1&&root.closest(sel)){"
        "var out=Array.prototype.slice.call(root.querySelectorAll('*'));out.push(root);"
        "return out;}return Array.prototype.slice.call(root.querySelectorAll(sel+' *'));}"
        "function fix(root){root=root||document;"
        "var a=document.querySelector('[data-testid=\"stSkipToContent\"]');"
        "if(a){hit('skip_link');if(a.textContent!==skip){a.textContent=skip;}}"
        # Streamlit's "Page not found" notice, in English too: its own words say it runs the
        # main page, and the app shows its own "page not found" page (ui.not_found)
        "inside(root,'[role=\"dialog\"]').forEach(function(n){"
        "if(n.childElementCount){return;}var x=n.textContent.trim();"
        "if(x==='Page not found'){hit('page_not_found');"
        "if(x!==missing[0]){n.textContent=missing[0];}}"
        "else if(/^(You have requested page|The page that you have requested)/.test(x))"
        "{hit('page_not_found_text');n.textContent=missing[1];}});"
        "if(lang==='en'){return;}"
        "all(root,'[aria-label^=\"Help for \"]').forEach(function(b){"
        "hit('help_for');"
        "b.setAttribute('aria-label',helpfor+b.getAttribute('aria-label').slice(9));});"
        "inside(root,'[data-testid=\"stFileUploaderDropzone\"]')"
        ".forEach(function(n){if(n.childElementCount){return;}var x=n.textContent;"
        "if(x.trim()==='Upload'){hit('upload_button');n.textContent=upload[0];}"
        "else if(x.indexOf(' per file')>=0)"
        "{hit('upload_per_file');n.textContent=x.replace(' per file',upload[1]);}"
        "else if(/^Drag and drop (a file|files) here$/.test(x.trim()))"
        "{hit('upload_drag');n.textContent=upload[2];}});"
        "all(root,named).forEach(function(e){attrs.forEach(function(a){"
        "var v=e.getAttribute(a);if(v===null){return;}"
        "if(Object.prototype.hasOwnProperty.call(names,v)){e.setAttribute(a,names[v]);}"
        "else if(a==='aria-label'&&v.indexOf(remove[0])===0)"
        "{e.setAttribute(a,remove[1]+v.slice(remove[0].length));}});});}"
        "window.__plannerFix=fix;fix();"
        # what Streamlit adds later is looked at once a frame, and only what was added: a
        # lever move changes the page in dozens of steps, and scanning the whole page at each
        # took about 80 ms of the browser's time a move
        "if(!window.__plannerObserver){var added=new Set(),queued=false;"
        "window.__plannerObserver=new MutationObserver(function(records){"
        "records.forEach(function(r){r.addedNodes.forEach(function(n){"
        "if(n.nodeType===1){added.add(n);}else if(n.parentElement){added.add(n.parentElement);}"
        "});});"
        "if(queued||!added.size){return;}queued=true;"
        "requestAnimationFrame(function(){queued=false;var nodes=Array.from(added);added.clear();"
        "nodes.forEach(function(n){if(n.isConnected){window.__plannerFix(n);}});});});"
        "window.__plannerObserver.observe(document.body,{subtree:true,childList:true});}"
        "})();</script>"
    )
    style = f"<style>{_HIDE_TABLE_TOOLBAR}</style>" if lang == "vi" else ""
    return style + script


def language_switch() -> str:
    """Draw the language switch (each language named in itself) and return the language.

    It also puts the page's language into Streamlit's own chrome (:func:`page_language_html`).

    Returns
    -------
    str
        The language chosen.
    """
    lang = current_lang()
    st.session_state[WIDGET_KEY] = lang
    st.radio(
        t("app.language", lang),
        LANGS,
        format_func=lambda code: t(f"lang.{code}", code),
        key=WIDGET_KEY,
        on_change=_on_switch,
        horizontal=True,
    )
    lang = current_lang()
    st.html(page_language_html(lang), unsafe_allow_javascript=True)
    return lang
