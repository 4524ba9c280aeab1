"""The JSON API (``web.api``) on a real DuckDB file: every endpoint, every kind of error, the
OpenAPI document, and the same numbers as the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from planner.cli import main as cli
from planner.problems import CODES
from planner.store import DatabaseLockedError, DuckDBStore
from tests.saved_support import copy_db
from web.api import create_app, server_app
from web.api.answers import Projection, Saved, Scenario, ScenarioListing
from web.api.app import PREFIX
from web.api.limits import Limits
from web.api.problems import MEDIA_TYPE

V1 = f"{PREFIX}/v1"
LIMITS = Limits(max_draws=5000, max_body=4096, timeout=60.0, threads=2)


@pytest.fixture(scope="module")
def db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "planner.duckdb"
    copy_db(loaded_db, path)
    return path


@pytest.fixture(scope="module")
def client(db: Path):
    """The app ``make api`` serves, on the module's database."""
    store = DuckDBStore(db)
    with TestClient(server_app(store=lambda: store, limits=LIMITS)) as client:
        yield client


def failing(exc: Exception):
    """A client of an app whose store raises ``exc``."""
    def store():
        raise exc
    return TestClient(create_app(store=store, limits=LIMITS), raise_server_exceptions=False)


def problem_of(response, status: int, code: str, field: str | None = None) -> dict:
    """The problem document of an error answer, checked."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    doc = response.json()
    assert doc["status"] == status and doc["code"] == code and code in CODES
    assert doc["type"].endswith(code)
    if field is not None:
        assert doc["field"] == field
    assert "Traceback" not in response.text and "/tmp" not in response.text
    return doc


def test_datasets_name_the_current_version(client) -> None:
    doc = client.get(f"{V1}/datasets").json()
    assert [v["version"] for v in doc["versions"] if v["is_current"]] == [doc["current"]]
    assert doc["versions"][0]["row_counts"]["indicators"] > 0


def test_indicators_list_and_one_with_observations_sources_and_basis(client) -> None:
    listing = client.get(f"{V1}/indicators").json()
    assert "dti_overall" in {i["id"] for i in listing["indicators"]}
    doc = client.get(f"{V1}/indicators/dti_overall").json()
    assert doc["indicator"]["id"] == "dti_overall" and doc["indicator"]["unit"] == "index_0_1"
    obs = doc["observations"]
    assert obs and {"kind", "source", "quote", "year", "value"} <= set(obs[0])
    assert {s["id"] for s in doc["sources"]} >= {o["source"] for o in obs if ";" not in o["source"]}
    assert {p["basis"] for p in doc["baseline_path"]} == {"observed", "estimate", "projection"}


def test_indicator_csv_and_its_metadata_beside_it(client) -> None:
    response = client.get(f"{V1}/indicators/dti_overall.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    meta = client.get(f"{V1}/indicators/dti_overall.metadata.json").json()
    assert lines[0].split(",") == [c["name"] for c in meta["columns"]]
    assert len(lines) - 1 == meta["rows"] and meta["indicator"]["id"] == "dti_overall"
    assert meta["csv"].startswith(f"{V1}/indicators/dti_overall.csv")
    assert meta["sources"]


def test_levers_equal_the_command_line(client, db, capsys) -> None:
    assert cli(["--db", str(db), "levers", "--format", "json"]) == 0
    assert client.get(f"{V1}/levers").json()["levers"] == json.loads(capsys.readouterr().out)


def test_targets_have_geography_and_status(client) -> None:
    doc = client.get(f"{V1}/targets").json()
    rows = {r["target_id"]: r for r in doc["targets"]}
    assert rows and all(r["geography"] and r["status"] for r in rows.values())
    assert rows["ecommerce_uptake@2025=55"]["status"] == "no_measurement"


def test_projection_equals_the_command_line_for_the_same_scenario_and_seed(client, db,
                                                                         capsys) -> None:
    body = {"levers": {"online_filing": {"2027": 90}}, "overrides": {}, "draws": 300,
            "seed": 7, "contributions": True}
    response = client.post(f"{V1}/projections", json=body)
    assert response.status_code == 200, response.text
    assert cli(["--db", str(db), "project", "--set", "online_filing@2027=90", "--draws", "300",
                "--seed", "7", "--contributions", "--format", "json"]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    assert response.json() == from_cli
    Projection.model_validate(from_cli)  # the OpenAPI document's shape is the answer's
    row = next(r for r in from_cli["outcomes"]
               if r["indicator"] == "online_filing_rate" and r["year"] == 2027)
    assert row["value"] == pytest.approx(90) and {"p10", "p50", "p90", "basis"} <= set(row)
    assert {"status", "probability"} <= set(from_cli["targets"][0])


def test_projection_of_an_older_dataset_version_and_an_unknown_one(client) -> None:
    current = client.get(f"{V1}/datasets").json()["current"]
    doc = client.post(f"{V1}/projections", json={"draws": 50, "dataset_version": current}).json()
    assert doc["dataset_version"] == current
    problem_of(client.post(f"{V1}/projections", json={"dataset_version": "nope"}), 404,
               "unknown_version", "dataset_version")


def test_goalseek_reaches_a_goal_and_names_a_bad_one(client) -> None:
    doc = client.post(f"{V1}/goalseek", json={"target": "dti_overall@2030=0.9"}).json()
    assert doc["target"] == "dti_overall@2030=0.9" and "reachable" in doc and doc["levers"]
    problem_of(client.post(f"{V1}/goalseek", json={"target": "nothing@2030=1"}), 422,
               "unknown_target", "target")
    problem_of(client.post(f"{V1}/goalseek", json={"target": "dti_overall@2099=0.9"}), 422,
               "bad_year", "target")
    problem_of(client.post(f"{V1}/goalseek", json={"target": "dti_overall@2030=0.9",
                                                    "lever": "nope"}), 422, "unknown_lever",
               "lever")


def test_save_list_read_and_delete_a_scenario(client) -> None:
    body = {"name": "Nộp trực tuyến nhanh", "levers": {"online_filing": {"2027": 90}},
            "draws": 200, "seed": 3}
    response = client.post(f"{V1}/scenarios", json=body)
    assert response.status_code == 201, response.text
    saved = response.json()
    sid, token = saved["id"], saved["owner_token"]
    Saved.model_validate(saved)
    assert response.headers["location"] == f"{V1}/scenarios/{sid}" and sid in saved["link"]
    assert saved["read"] == f"/s/{sid}"  # its read-only page, served without a session

    listing = client.get(f"{V1}/scenarios", params={"search": "trực tuyến", "limit": 5}).json()
    assert [s["id"] for s in listing["scenarios"]] == [sid] and listing["total"] == 1
    ScenarioListing.model_validate(listing)
    assert "owner_token" not in json.dumps(listing)

    doc = client.get(f"{V1}/scenarios/{sid}").json()
    assert doc["id"] == sid and doc["data_changed"] is False and doc["model_changed"] is False
    Scenario.model_validate(doc)
    assert doc["settings"] == {"levers": {"online_filing": {"2027": 90.0}}, "overrides": {}}
    assert doc["draws"] == 200 and doc["seed"] == 3 and doc["outcomes"] and doc["targets"]
    assert "owner_token" not in json.dumps(doc)
    again = client.post(f"{V1}/projections", json={**{k: body[k] for k in ("levers", "draws",
                                                                          "seed")}}).json()
    shown = {(r["indicator"], r["year"]): r["p50"] for r in doc["outcomes"]}
    assert all(shown[(r["indicator"], r["year"])] == pytest.approx(r["p50"], rel=1e-9)
               for r in again["outcomes"])

    problem_of(client.delete(f"{V1}/scenarios/{sid}"), 401, "required", "X-Owner-Token")
    problem_of(client.delete(f"{V1}/scenarios/{sid}", headers={"X-Owner-Token": "x" * 20}),
               403, "bad_token", "token")
    assert client.get(f"{V1}/scenarios/{sid}").status_code == 200  # nothing deleted
    assert client.delete(f"{V1}/scenarios/{sid}", headers={"X-Owner-Token": token}
                         ).status_code == 204
    problem_of(client.get(f"{V1}/scenarios/{sid}"), 404, "unknown_id", "id")


def test_a_built_in_scenario_reads_in_the_asked_language(client) -> None:
    vi = client.get(f"{V1}/scenarios/baseline").json()
    en = client.get(f"{V1}/scenarios/baseline", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert vi["kind"] == "builtin" and en.json()["name"] != vi["name"]
    Scenario.model_validate(vi)
    assert client.get(f"{V1}/scenarios/baseline?lang=en").json()["name"] == en.json()["name"]
    problem_of(client.delete(f"{V1}/scenarios/baseline", headers={"X-Owner-Token": "t"}), 403,
               "not_deletable")


def test_errors_name_the_field_in_the_asked_language(client) -> None:
    en = problem_of(client.post(f"{V1}/projections?lang=en", json={"draws": 10**6}), 422,
                    "out_of_range", "draws")
    vi = problem_of(client.post(f"{V1}/projections", json={"draws": 10**6}), 422,
                    "out_of_range", "draws")
    assert "outside the allowed range" in en["detail"] and "5,000" in en["detail"]
    assert "ngoài khoảng" in vi["detail"] and "5.000" in vi["detail"]
    problem_of(client.post(f"{V1}/projections", json={"draws": "many"}), 422, "not_a_number",
               "draws")
    problem_of(client.post(f"{V1}/projections", json={"levers": {"nope": {"2027": 1}}}), 422,
               "unknown_lever", "levers.nope")
    problem_of(client.post(f"{V1}/projections", json={"levers": {"online_filing": {"2027": 900}}}),
               422, "out_of_range", "levers.online_filing.2027")
    problem_of(client.post(f"{V1}/projections", json={"levers": [1]}), 422, "bad_type", "levers")
    extra = problem_of(client.post(f"{V1}/projections", json={"draw": 5}), 422, "unknown_field",
                       "draw")
    assert "draws" in extra["detail"]
    problem_of(client.post(f"{V1}/projections", content=b"{not json",
                           headers={"content-type": "application/json"}), 400, "bad_json")
    problem_of(client.post(f"{V1}/scenarios", json={"levers": {}}), 422, "required", "name")
    problem_of(client.post(f"{V1}/scenarios", json={"name": " "}), 422, "bad_name", "name")
    problem_of(client.get(f"{V1}/scenarios", params={"limit": 0}), 422, "out_of_range", "limit")
    problem_of(client.get(f"{V1}/scenarios", params={"limit": "x"}), 422, "not_a_number", "limit")
    problem_of(client.get(f"{V1}/scenarios/not an id!"), 400, "bad_id", "id")
    problem_of(client.get(f"{V1}/scenarios/AAAAAAAAAAAAAAAA"), 404, "unknown_id", "id")
    problem_of(client.get(f"{V1}/indicators/nothing"), 404, "unknown_indicator", "id")
    problem_of(client.get(f"{V1}/indicators/nothing.csv"), 404, "unknown_indicator", "id")
    problem_of(client.get(f"{V1}/levers?lang=fr"), 400, "bad_lang", "lang")
    problem_of(client.get(f"{V1}/nowhere"), 404, "not_found")
    problem_of(client.put(f"{V1}/levers"), 405, "bad_method")


def test_a_body_over_the_limit_is_refused_before_anything_runs(client) -> None:
    big = {"levers": {}, "overrides": {"x" * (LIMITS.max_body + 1): 1}}
    problem_of(client.post(f"{V1}/projections", json=big), 413, "too_large", "body")


def test_a_body_sent_in_chunks_is_cut_off_at_the_limit(client) -> None:
    chunks = (b" " * 1024 for _ in range(LIMITS.max_body // 1024 + 2))
    problem_of(client.post(f"{V1}/projections", content=chunks,
                           headers={"content-type": "application/json"}), 413, "too_large")


def test_a_database_fault_and_an_unexpected_failure_tell_no_path_or_traceback() -> None:
    with failing(DatabaseLockedError("/srv/secret/planner.duckdb is locked")) as locked:
        doc = problem_of(locked.get("/v1/datasets?lang=en"), 503, "unavailable")
    assert "secret" not in json.dumps(doc)
    with failing(RuntimeError("/srv/secret/file.py line 3")) as broken:
        doc = problem_of(broken.get("/v1/levers", headers={"Accept-Language": "en"}), 500,
                         "internal")
    assert "secret" not in json.dumps(doc) and "went wrong" in doc["detail"]


def test_a_request_over_its_time_gets_a_timeout_problem(db: Path) -> None:
    store = DuckDBStore(db)
    app = create_app(store=lambda: store, limits=Limits(timeout=1e-6, threads=1))
    with TestClient(app) as slow:
        problem_of(slow.get("/v1/datasets"), 503, "timeout")


def test_cors_is_closed_unless_origins_are_configured(client, db: Path) -> None:
    asked = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    assert "access-control-allow-origin" not in client.get(f"{V1}/levers", headers=asked).headers
    store = DuckDBStore(db)
    app = create_app(store=lambda: store,
                     limits=Limits(cors_origins=("https://elsewhere.example",)))
    with TestClient(app) as open_client:
        response = open_client.options("/v1/projections", headers=asked)
    assert response.headers["access-control-allow-origin"] == "https://elsewhere.example"


def test_the_openapi_document_is_valid_3_1_and_serves_no_documentation_page(client) -> None:
    doc = client.get(f"{PREFIX}/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    validate(doc)
    paths = set(doc["paths"])
    assert {"/v1/datasets", "/v1/indicators/{indicator_id}.csv", "/v1/projections",
            "/v1/goalseek", "/v1/scenarios/{scenario_id}"} <= paths
    errors = [answer for operations in doc["paths"].values() for operation in operations.values()
              for status, answer in operation["responses"].items() if status >= "400"]
    assert errors and all(list(e["content"]) == [MEDIA_TYPE] for e in errors)
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for page in ("docs", "redoc"):
        assert client.get(f"{PREFIX}/{page}").status_code == 404


def test_limits_from_the_environment_are_checked() -> None:
    assert Limits.from_env({"PLANNER_API_MAX_DRAWS": "100", "PLANNER_API_CORS_ORIGINS": "a, b"}
                           ) == Limits(max_draws=100, cors_origins=("a", "b"))
    with pytest.raises(ValueError, match="PLANNER_API_TIMEOUT"):
        Limits.from_env({"PLANNER_API_TIMEOUT": "-1"})
    with pytest.raises(ValueError, match="MAX_DRAWS"):
        Limits.from_env({"PLANNER_API_MAX_DRAWS": str(10**9)})
