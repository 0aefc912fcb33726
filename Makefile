# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# A local trial: debug on, plain HTTP. Never use these values in production. (backup/restore use
# them only when DJANGO_SECRET_KEY is not set, that is, outside production.)
LOCAL_ENV := DJANGO_DEBUG=1

.PHONY: run test test-fast install install-dev migrate seed superuser backup restore lint \
	format clean e2e-setup screenshots cluster cluster-stop

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(LOCAL_ENV) $(MANAGE) migrate --noinput

## Import the ministry's seed pages, sample agency content and a few legal documents
## (idempotent: a second run keeps editors' changes).
seed: migrate
	$(LOCAL_ENV) $(MANAGE) import_articles fixtures/seeds
	$(LOCAL_ENV) $(MANAGE) seed_portal
	$(LOCAL_ENV) $(MANAGE) import_documents fixtures/documents/so-dang-ky.csv

## Serve the site and the admin at http://127.0.0.1:8000/ on the embedded SQLite database.
run: seed
	@echo "Trang web: http://$(HOST):$(PORT)/  —  Quản trị: http://$(HOST):$(PORT)/admin/"
	@echo "Chưa có tài khoản quản trị? Chạy: make superuser"
	@echo "Đây là bản chạy thử (DJANGO_DEBUG=1): đăng nhập hai lớp (2FA) đang tắt."
	$(LOCAL_ENV) $(MANAGE) runserver $(HOST):$(PORT)

## Create an admin login for the local trial.
superuser: migrate
	$(LOCAL_ENV) $(MANAGE) createsuperuser

## Back up the database and the media into one archive under backups/ (PORTAL_BACKUP_DIR).
backup: install
	$(if $(DJANGO_SECRET_KEY),,$(LOCAL_ENV)) $(MANAGE) backup_site

## Restore an archive made by `make backup`: make restore FILE=backups/portal-….tar
restore: install
	@test -n "$(FILE)" || (echo "Cách dùng: make restore FILE=backups/portal-YYYYmmdd-HHMMSS.tar" >&2; exit 2)
	$(if $(DJANGO_SECRET_KEY),,$(LOCAL_ENV)) $(MANAGE) restore_site "$(FILE)"

## Install what the browser and HTML tests need besides Python packages: Chromium and Java
## (apt-get), axe-core, Lighthouse and the Nu Html Checker (npm ci).
e2e-setup:
	bash scripts/e2e_setup.sh

## Run the whole suite. Without Chromium, Java or the npm packages the tests that need them are
## skipped, each with the reason.
test: install-dev
	@test -x "$${PORTAL_E2E_CHROMIUM:-/usr/bin/chromium}" || echo "Chromium không có: các kiểm thử trình duyệt (tests/e2e) sẽ bị bỏ qua; chạy make e2e-setup để cài."
	@test -f node_modules/axe-core/axe.min.js || echo "axe-core không có: các kiểm thử tiếp cận sẽ bị bỏ qua; chạy make e2e-setup (hoặc npm ci)."
	@command -v java >/dev/null || echo "Java không có: kiểm thử HTML (Nu Html Checker) sẽ bị bỏ qua; chạy make e2e-setup."
	$(VENV)/bin/pytest

## While working: everything but the browser tests and the slow ones, on every core (under a
## minute on two). `make test` before pushing.
test-fast: install-dev
	$(VENV)/bin/pytest -n auto --maxprocesses=8 -m "not browser and not slow"

## Screenshots of the site and the editor for the README, into docs/screenshots/.
screenshots: install-dev
	$(PY) scripts/screenshots.py

## Several servers on this machine (README, "Several servers"): Varnish on 127.0.0.1:8080 in front
## of two gunicorn app servers (8001, 8002), PostgreSQL, Redis and an S3 server (moto) for media.
## Writes .cluster/env for manage.py commands against it. Needs PostgreSQL and Redis running.
cluster: install-dev
	bash scripts/cluster_setup.sh
	$(PY) scripts/cluster.py start

## Stop what `make cluster` started, by the process ids it recorded.
cluster-stop:
	$(PY) scripts/cluster.py stop

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
