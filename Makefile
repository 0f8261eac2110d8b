# The two commands of the README.
#   make run    installs what is missing, creates the SQLite database in data/ with demo data,
#               and serves knoop on http://127.0.0.1:8000
#   make start  the same without demo data: a fresh installation asks in the browser for the
#               first practice and its admin (http://127.0.0.1:8000/start)
#   make test   installs what is missing (also Chromium) and runs the whole test suite
.PHONY: run start test bench lint fuzz

export UV_PYTHON_DOWNLOADS := never

run:
	@scripts/bootstrap.sh
	.venv/bin/knoop db upgrade
	.venv/bin/knoop demo load
	.venv/bin/knoop serve

start:
	@scripts/bootstrap.sh
	.venv/bin/knoop db upgrade
	.venv/bin/knoop serve

test:
	@scripts/bootstrap.sh --test
	.venv/bin/python -m pytest

bench:
	@scripts/bootstrap.sh
	.venv/bin/python bench/run_all.py

lint:
	.venv/bin/ruff check src tests bench
	.venv/bin/mypy src/knoop

# schemathesis over /openapi.json with many more examples than the suite uses
fuzz:
	@scripts/bootstrap.sh
	KNOOP_FUZZ_EXAMPLES=400 .venv/bin/python -m pytest -q tests/web/test_api_fuzz.py
