"""The JSON API is served by the real Streamlit server, through ``app.py``'s ``st.App``, beside
the pages (the shared server of the browser tests; no browser is needed to read JSON)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


def _get(url: str, body: dict | None = None) -> tuple[int, str, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={
        "Content-Type": "application/json", "Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read())


def test_the_streamlit_server_answers_the_api_beside_the_pages(app_server: str) -> None:
    status, _, doc = _get(f"{app_server}/api/v1/datasets")
    assert status == 200 and doc["current"]
    status, _, spec = _get(f"{app_server}/api/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.1")
    assert spec["servers"] == [{"url": "/api"}]
    status, _, projected = _get(f"{app_server}/api/v1/projections",
                                {"levers": {"online_filing": {"2027": 90}}, "draws": 100})
    assert status == 200 and projected["dataset_version"] == doc["current"]
    status, kind, problem = _get(f"{app_server}/api/v1/scenarios/AAAAAAAAAAAAAAAA")
    assert (status, kind, problem["code"]) == (404, "application/problem+json", "unknown_id")
    with urllib.request.urlopen(f"{app_server}/_stcore/health", timeout=60) as health:
        assert health.status == 200  # Streamlit's own routes still answer
