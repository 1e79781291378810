"""The portal as a WSGI application for bench/oai.py --url: bench settings (bench/_setup.py)
and no rate limit on the protocols, which would otherwise answer a harvest faster than
300 pages a minute with 503 Retry-After. From the project's folder (bench/ itself must not
come first on the path: bench/catalog.py would hide the catalog app):

    DEBUG=false ALLOWED_HOSTS=127.0.0.1 .venv/bin/gunicorn bench.oai_wsgi \\
        --bind 127.0.0.1:8123 --workers 1 --timeout 300
"""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # for _setup, after the project

from _setup import setup_django  # noqa: E402

setup_django()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.CATALOG_PROTOCOLS_RATE = "1000000/m"
application = get_wsgi_application()
