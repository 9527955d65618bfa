# The two commands a new user needs: `make run` and `make test`. Both create .venv when missing,
# install the project with the locked dependency versions, and register the Jupyter kernel that
# papermill uses to run the notebooks with this environment's interpreter.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test quick synth dictionary lab clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements-lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements-lock.txt -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name wave-analysis \
		--display-name "Python (wave-analysis)"
	# pre-commit hooks (ruff, notebook output stripping, import contracts) in a git checkout
	if git rev-parse --git-dir >/dev/null 2>&1; then $(BIN)/pre-commit install -f >/dev/null; fi
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/wave-analysis run

test: $(STAMP)
	$(BIN)/python -m pytest

# Everyday loop: everything but the notebook executions and large workloads (under a minute).
quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

synth: $(STAMP)
	$(BIN)/wave-analysis synth

dictionary: $(STAMP)
	$(BIN)/wave-analysis dictionary

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf reports .pytest_cache
