"""What every benchmark does first: the project on the path, then Django with settings close to
production (DEBUG off) that still run in one process without a secret key, HTTPS or Redis —
a local cache is what a single measuring process compares against when REDIS_URL is absent."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "lutsk_cbs.settings",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_MANIFEST": "false",
    "ALLOW_LOCAL_CACHE": "true",
}


def setup_django():
    sys.path.insert(0, str(ROOT))
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
