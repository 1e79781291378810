import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _ukrainian():
    # A request to an /en/ page leaves English active in this thread; mail and messages here
    # are checked in Ukrainian unless a test says otherwise.
    with translation.override("uk"):
        yield
