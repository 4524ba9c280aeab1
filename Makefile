# Two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8501
PLANNER_DB ?= var/planner.duckdb
export PLANNER_DB

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test db venv lint bench bench-load replicas clean api

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv (requirements-install.txt) installs the pinned requirements in seconds where pip takes
# a minute and a half; pip does it itself if uv cannot
$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt requirements-install.txt
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-install.txt \
	  && $(BIN)/uv pip install --python $(BIN)/python -q -r requirements-dev.txt \
	  || $(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

db: $(STAMP)
	$(BIN)/python -m planner db upgrade

run: db
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT)

# The JSON API alone (the same app Streamlit serves under /api), for heavy use.
API_PORT ?= 8502
api: db
	$(BIN)/uvicorn web.api:server_app --factory --host $(HOST) --port $(API_PORT)
# REPLICAS app processes on the ports after PORT, nginx on PORT in front (deploy/); Ctrl-C
# stops them all.
REPLICAS ?= 2
replicas: db
	$(BIN)/python -m deploy.replicas --count $(REPLICAS) --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

# The tests in parallel (pytest-xdist), grouped as tests/conftest.py says; TEST_WORKERS=0 runs
# them one at a time in this process.
TEST_WORKERS ?= 2
test: db lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# Standard output is the bench's JSON alone: setting up runs quietly (errors still show).
bench:
	@$(MAKE) --no-print-directory -s venv > /dev/null
	@$(BIN)/python -m planner db upgrade > /dev/null
	@$(BIN)/python -m bench

# Browser sessions moving levers at once, on one process and on two behind nginx (bench/load.py)
bench-load:
	@$(MAKE) --no-print-directory -s venv > /dev/null
	@$(BIN)/python -m planner db upgrade > /dev/null
	@$(BIN)/python -m bench --only load

clean:
	rm -rf $(VENV) var/*.duckdb var/*.wal
