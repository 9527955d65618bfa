# The two commands a new user needs: `make run` and `make test`. Both create .venv when missing,
# install the project with the locked dependency versions, and register the Jupyter kernel that
# papermill uses to run the notebooks with this environment's interpreter.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test quick synth dictionary lab clean git-filter

setup: $(STAMP)

$(STAMP): pyproject.toml requirements-lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements-lock.txt -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name wave-analysis \
		--display-name "Python (wave-analysis)"
	# pre-commit hooks (ruff, notebook output stripping, import contracts) in a git checkout
	if git rev-parse --git-dir >/dev/null 2>&1; then $(BIN)/pre-commit install -f >/dev/null; fi
	if git rev-parse --git-dir >/dev/null 2>&1; then $(MAKE) --no-print-directory git-filter; fi
	touch $(STAMP)

# The nbstripout git filter that .gitattributes names: git sees notebooks without outputs,
# execution counts or run metadata (cell ids kept), so a notebook saved from JupyterLab after a
# run never shows as a change. Like `nbstripout --install --keep-id`, plus the kernel details
# JupyterLab adds to language_info (extrakeys: read by the filter and the pre-commit hook alike).
NBSTRIPOUT := '$(abspath $(BIN))/nbstripout' --keep-id
NB_EXTRA_KEYS := $(foreach k,codemirror_mode file_extension mimetype nbconvert_exporter \
	pygments_lexer version,metadata.language_info.$(k))
git-filter:
	git config filter.nbstripout.clean "$(NBSTRIPOUT)"
	git config filter.nbstripout.smudge cat
	git config filter.nbstripout.required true
	git config filter.nbstripout.extrakeys "$(NB_EXTRA_KEYS)"
	git config diff.ipynb.textconv "$(NBSTRIPOUT) -t"

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
