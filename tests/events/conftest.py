import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _ukrainian_urls():
    # A request to /en/… leaves English active in the thread, and reverse() would then build
    # /en/ addresses in the next test.
    with translation.override("uk"):
        yield
