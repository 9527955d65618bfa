# The two commands a new user needs: `make run` and `make test`. Both create .venv when missing,
# install the project with the locked dependency versions, and register the Jupyter kernel that
# papermill uses to run the notebooks with this environment's interpreter.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test synth dictionary lab clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements-lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements-lock.txt -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name wave-analysis \
		--display-name "Python (wave-analysis)"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/wave-analysis run

test: $(STAMP)
	$(BIN)/python -m pytest

synth: $(STAMP)
	$(BIN)/wave-analysis synth

dictionary: $(STAMP)
	$(BIN)/wave-analysis dictionary

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf reports .pytest_cache
