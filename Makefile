# Two commands do everything: `make book` and `make test`. Both create and use .venv.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The first of these that runs and is a Python TensorFlow 2.21 supports (3.11-3.13), unless PYTHON=... is given.
PYTHON_CANDIDATES := python3.11 python3.12 python3.13 python3
PYTHON ?= $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c 'import sys; print(sys.version_info[:2] in ((3, 11), (3, 12), (3, 13)))' 2>/dev/null | grep -qx True && echo $(p))))
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
BACKENDS_STAMP := $(VENV)/.backends-stamp

# Quiet and reproducible TensorFlow in every kernel nbval starts; kernels come from this venv only.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export JUPYTER_PLATFORM_DIRS := 1
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# Notebooks nbval executes at once (each in its own kernel; --dist loadscope keeps a notebook's cells in order
# in one worker). Two use a 2-core machine better than one: a small LSTM keeps one core only partly busy.
NBVAL_JOBS ?= 2

NOTEBOOKS = $(shell $(PY) scripts/toc.py --notebooks)

.PHONY: help book test unit nbval book-strict html-check browser-check execute clean bench robustness robustness-ci test-colab

help:
	@echo "make book     build the HTML book into _build/html (creates .venv on first use)"
	@echo "make test     unit tests + nbval over every notebook + executed-notebook check + strict book build"
	@echo "make execute  re-execute every notebook in place in a fresh kernel (NB=path for one)"
	@echo "make browser-check  open every built page in headless Chromium, screenshot it, fail on render errors"
	@echo "make robustness  re-execute every notebook under seeds 1-4 and other CPU kernels; writes results/robustness.json"
	@echo "make test-colab  execute every notebook the Colab way: Python 3.12, full tensorflow wheel, install cell (.venv-colab)"
	@echo "make bench    time and measure every notebook, and the online-inference micro-benchmark"
	@echo "make clean    remove build outputs (keeps .venv; rm -rf .venv to start over)"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no Python 3.11, 3.12 or 3.13 found (tried $(PYTHON_CANDIDATES)); install one or run make PYTHON=/path/to/python3.12"; exit 1; }
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; run make PYTHON=/path/to/python3.12 (3.11-3.13)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[book,test]"
	@# pyproject.toml's [tool.keras-lstms-answered] install-without-deps (tests/test_dependencies.py checks they agree):
	@# tf_keras (Keras 2, for the appendix) requires `tensorflow`, a second TensorFlow over tensorflow-cpu.
	$(PY) -m pip install --quiet --no-deps "tf-keras==2.21.*"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (keras-lstms)" >/dev/null
	touch $(STAMP)

# JAX and PyTorch, for the appendix's backend matrix: needed to execute the notebooks, not to build the book.
$(BACKENDS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[backends]"
	touch $(BACKENDS_STAMP)

book: $(STAMP)
	$(VENV)/bin/jupyter-book build . -W --keep-going
	@echo "The book is in $(CURDIR)/_build/html/index.html"

unit: $(STAMP)
	@# exit code 5 (no tests collected) is a broken setup, not a pass: pytest returns it non-zero and we keep it so.
	$(PY) -m pytest tests helpers --doctest-modules -q --ignore=tests/built

nbval: $(BACKENDS_STAMP)
	@if [ -z "$(NOTEBOOKS)" ]; then echo "nbval: no notebooks in _toc.yml"; exit 1; fi
	$(PY) -m pytest -q -p no:randomly --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	    --nbval-cell-timeout 600 -n $(NBVAL_JOBS) --dist loadscope $(NOTEBOOKS)

book-strict: $(STAMP)
	rm -rf _build/html _build/.doctrees
	$(VENV)/bin/jupyter-book build . -W --keep-going

html-check: $(STAMP)
	$(PY) -m pytest tests/built -q

browser-check: $(STAMP)
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || { echo "browser-check: installing Debian's chromium"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || { echo "error: could not install chromium (apt-get install chromium)"; exit 1; }; }
	@test -f _build/html/index.html || $(MAKE) book
	$(PY) scripts/browser_check.py

test: unit nbval book-strict html-check browser-check
	@echo "make test: all checks passed"

execute: $(BACKENDS_STAMP)
	$(PY) scripts/execute.py $(NB)

# Every notebook under seeds 1-4 x {default kernels, oneDNN on, one thread}; writes results/robustness.json
# and the book page book/appendix/robustness.md. NB=book/<notebook>.ipynb re-runs one notebook and updates its entry.
robustness: $(BACKENDS_STAMP)
	$(PY) scripts/robustness.py --jobs 2 $(NB)

# What CI adds to `make test`: the committed seed under oneDNN (strict outputs must not change) and two more seeds.
robustness-ci: $(BACKENDS_STAMP)
	$(PY) scripts/robustness.py --jobs 2 --seeds 1 2 --variants default --committed-variants onednn --out _build/robustness-ci.json

# Colab-like: a Python 3.12 .venv-colab with the full tensorflow wheel, a stub google.colab, the install cells
# pointed at this tree, every notebook executed in a temporary copy (COLAB_CHECK_ARGS=--canonical-cell to
# test scripts/install_cell.py's text before it is applied). Not part of `make test`.
test-colab: $(STAMP)
	$(PY) scripts/colab_check.py $(COLAB_CHECK_ARGS)

bench: $(BACKENDS_STAMP)
	$(PY) bench/run.py

clean:
	rm -rf _build bench/results/*.json .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -exec rm -rf {} +
