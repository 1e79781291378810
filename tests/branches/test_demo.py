"""The demo libraries: addresses a reader can read in English, closures that do not collide."""

import html
import random
import re
from datetime import date, datetime

from branches import demo
from branches.models import Branch, Closure
from core.tz import KYIV
from tests.factories import ClosureFactory

NOVEMBER = datetime(2026, 11, 27, 12, 0, tzinfo=KYIV)  # the last Friday of December is the 25th


def text(response):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_sanitary_day_moves_off_christmas_to_the_working_day_before(db, freeze_now):
    freeze_now(NOVEMBER)
    demo.seed(rng=random.Random(1))
    demo.seed(rng=random.Random(1))  # again: nothing doubles

    branch = Branch.objects.get(slug="branch-5")
    december = Closure.objects.filter(start_date__month=12, start_date__year=2026)
    sanitary = december.filter(branch=branch, kind=Closure.Kind.SANITARY)
    assert list(sanitary.values_list("start_date", flat=True)) == [date(2026, 12, 24)]
    assert december.filter(branch=None, start_date=date(2026, 12, 25)).count() == 1


def test_library_page_shows_two_closures_on_one_day_as_one_line(client, db, freeze_now):
    freeze_now(NOVEMBER)
    demo.seed(rng=random.Random(1))
    branch = Branch.objects.get(slug="branch-5")
    ClosureFactory(
        branch=branch,
        kind=Closure.Kind.SANITARY,
        start_date=date(2026, 12, 25),
        end_date=date(2026, 12, 25),
        reason="",
    )

    page = text(client.get("/branches/branch-5/"))

    assert page.count("25 грудня") == 1
    assert "25 грудня : Різдво Христове; Санітарний день" in page


def test_english_demo_address_spells_the_street_in_latin_letters(client, db, freeze_now):
    freeze_now(NOVEMBER)
    demo.seed(rng=random.Random(1))

    page = text(client.get("/en/branches/branch-5/"))

    assert "50 Kovelska St. (demo)" in page
    assert "Ковельська" not in page


def test_a_ukrainian_closure_reason_on_an_english_page_is_marked_as_ukrainian(
    client, db, freeze_now
):
    freeze_now(NOVEMBER)
    demo.seed(rng=random.Random(1))

    body = client.get("/en/branches/branch-5/").content.decode()

    assert '<span lang="uk">Різдво Христове</span>' in body
    assert (
        '<span lang="uk">Різдво Христове</span>'
        not in client.get("/branches/branch-5/").content.decode()
    )


def test_an_english_status_line_marks_the_ukrainian_closure_reason(client, db, freeze_now):
    freeze_now(NOVEMBER)
    demo.seed(rng=random.Random(1))
    freeze_now(datetime(2026, 12, 25, 12, 0, tzinfo=KYIV))

    body = client.get("/en/branches/").content.decode()

    assert 'Closed: <span lang="uk">Різдво Христове</span>' in body
