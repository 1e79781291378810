# Shortcuts for people who have make; dev.py does the same with only Python.
PY := .venv/bin/python

.PHONY: run test lint format migrations-check messages compilemessages bench reset-db

run:
	python3 dev.py run

test:
	python3 dev.py test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

migrations-check:
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

messages:
	DEBUG=true $(PY) manage.py makemessages -l uk -l en --ignore=.venv --ignore=var --ignore=tests --no-obsolete

compilemessages:
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=var

bench:
	DEBUG=false $(PY) bench/pages.py

reset-db:
	python3 dev.py reset-db
