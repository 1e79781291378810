"""Staff side: scoped to the librarian's library, actions through the services, exports."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Event, Registration
from events.services import registration_cancel, registration_create
from tests.events.factories import ClubFactory, EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db

EVENTS = "/admin/events/event/"
REGISTRATIONS = "/admin/events/registration/"


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.fixture
def two_events(branch_a, branch_b):
    event_a = EventFactory(branch=branch_a, title="Захід філії А")
    event_b = EventFactory(branch=branch_b, title="Захід філії Б")
    registration_create(event=event_a, name="Оксана з А", email="oksana@example.org")
    registration_create(event=event_b, name="Петро з Б", email="petro@example.org")
    return event_a, event_b


def test_librarian_sees_only_their_librarys_events_and_registrants(client, librarian_b, two_events):
    event_a, event_b = two_events
    client.force_login(librarian_b)

    events = client.get(EVENTS)
    registrations = client.get(REGISTRATIONS)

    assert list(events.context["cl"].result_list) == [event_b]
    assert [r.name for r in registrations.context["cl"].result_list] == ["Петро з Б"]
    assert client.get(change_url(event_a)).status_code in (302, 403, 404)
    other = Registration.objects.get(name="Оксана з А")
    assert client.get(change_url(other)).status_code in (302, 403, 404)
    assert "Оксана" not in client.get(change_url(event_b)).content.decode()


def test_librarian_b_cannot_see_branch_a_club_members(client, librarian_b, branch_a):
    member = MembershipFactory(club=ClubFactory(branch=branch_a), name="Ганна Членкиня")
    client.force_login(librarian_b)

    assert client.get("/admin/events/club/").context["cl"].result_list.count() == 0
    assert client.get(change_url(member.club)).status_code in (302, 403, 404)


def test_methodologist_sees_every_librarys_events_but_no_registrants(
    client, methodologist, two_events
):
    client.force_login(methodologist)

    assert len(client.get(EVENTS).context["cl"].result_list) == 2
    assert client.get(REGISTRATIONS).status_code == 403


def action(client, name, events, follow=False, **extra):
    return client.post(
        EVENTS,
        {"action": name, "_selected_action": [event.pk for event in events], **extra},
        follow=follow,
    )


def test_publish_then_mark_held_is_logged_with_who_did_it(client, librarian_a, branch_a):
    event = EventFactory(branch=branch_a, status=Event.Status.DRAFT, published_at=None)
    client.force_login(librarian_a)

    action(client, "publish", [event])
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.published_at is not None

    action(client, "mark_held", [event])
    event.refresh_from_db()
    assert event.status == Event.Status.HELD
    log = LogEntry.objects.filter(object_id=str(event.pk)).order_by("action_time")
    assert [entry.user for entry in log] == [librarian_a, librarian_a]
    assert "Проведено" in log.last().change_message


def test_copy_makes_a_draft_in_the_same_library(client, librarian_a, branch_a):
    event = EventFactory(branch=branch_a, title="Літературна вітальня")
    client.force_login(librarian_a)

    action(client, "copy", [event])

    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.title == "Літературна вітальня (копія)"
    assert copy.status == Event.Status.DRAFT
    assert copy.branch == branch_a


def test_registrant_list_exports_as_csv_and_xlsx(client, branch_head_a, two_events):
    event_a, _ = two_events
    registration_create(event=event_a, name="Марта Сімʼя", phone="050 111 22 33", seats=3)
    client.force_login(branch_head_a)

    response = action(client, "export_registrants_csv", [event_a])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Захід", "Початок", "Імʼя"]
    assert [row[2] for row in rows[1:]] == ["Оксана з А", "Марта Сімʼя"]
    assert rows[0][5] == "Як повідомляти"
    assert rows[1][5] == "е-пошта"
    assert rows[2][4:7] == ["050 111 2233", "зателефонувати", "3"]

    response = action(client, "export_registrants_xlsx", [event_a])
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][2] == "Оксана з А"
    assert values[2][5] == "зателефонувати"
    assert len(values) == 3


def test_cancelling_tells_staff_whom_to_phone_and_the_list_shows_only_them(
    client, branch_head_a, two_events, django_capture_on_commit_callbacks
):
    event_a, _ = two_events
    registration_create(event=event_a, name="Марта Без Пошти", phone="050 111 22 33")
    client.force_login(branch_head_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = action(client, "cancel", [event_a], follow=True)

    page = response.content.decode()
    assert "1 зареєстрований залишив лише телефон" in page
    assert [m.to for m in mail.outbox] == [["oksana@example.org"]]
    to_phone = client.get(REGISTRATIONS, {"event__id__exact": event_a.pk, "reach": "phone"})
    assert [r.name for r in to_phone.context["cl"].result_list] == ["Марта Без Пошти"]
    assert "зателефонувати" in to_phone.content.decode()


def _change_form_data(event, **changes):
    local_start = timezone.localtime(event.starts_at)
    local_end = timezone.localtime(event.ends_at)
    data = {
        "title_uk": event.title,
        "kind": event.kind,
        "status": event.status,
        "description_uk": event.description,
        "branch": event.branch_id,
        "starts_at_0": local_start.date().isoformat(),
        "starts_at_1": local_start.strftime("%H:%M:%S"),
        "ends_at_0": local_end.date().isoformat(),
        "ends_at_1": local_end.strftime("%H:%M:%S"),
        "audiences": event.audiences,
        "age_rating": event.age_rating,
        "registration_required": "on",
        "capacity": event.capacity,
        "max_seats_per_registration": event.max_seats_per_registration,
        "attendance-TOTAL_FORMS": 0,
        "attendance-INITIAL_FORMS": 0,
        "registrations-TOTAL_FORMS": event.registrations.count(),
        "registrations-INITIAL_FORMS": event.registrations.count(),
    }
    for index, registration in enumerate(event.registrations.all()):
        data[f"registrations-{index}-id"] = registration.pk
        data[f"registrations-{index}-event"] = event.pk
    data.update(changes)
    return data


def test_moving_an_event_in_the_admin_mails_everyone_registered(
    client, librarian_a, two_events, django_capture_on_commit_callbacks
):
    event_a, _ = two_events
    client.force_login(librarian_a)
    mail.outbox.clear()
    later = timezone.localtime(event_a.starts_at) + timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(event_a),
            _change_form_data(event_a, starts_at_1=later.strftime("%H:%M:%S")),
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [m.to for m in mail.outbox] == [["oksana@example.org"]]
    assert "Змінилися час або місце" in mail.outbox[0].subject


def test_moving_an_event_warns_staff_to_phone_those_without_e_mail(
    client, librarian_a, two_events, django_capture_on_commit_callbacks
):
    event_a, _ = two_events
    registration_create(event=event_a, name="Марта Без Пошти", phone="050 111 22 33")
    client.force_login(librarian_a)
    later = timezone.localtime(event_a.starts_at) + timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(event_a),
            _change_form_data(event_a, starts_at_1=later.strftime("%H:%M:%S")),
            follow=True,
        )

    assert "залишив лише телефон" in response.content.decode()
    assert "reach=phone" in response.content.decode()


def test_capacity_cannot_drop_below_confirmed_seats(client, librarian_a, two_events):
    event_a, _ = two_events
    client.force_login(librarian_a)

    response = client.post(change_url(event_a), _change_form_data(event_a, capacity=0))

    assert response.status_code == 200
    assert "не може бути меншою" in response.content.decode()


def test_attendance_is_recorded_by_audience_after_the_event(client, librarian_a, two_events):
    event_a, _ = two_events
    client.force_login(librarian_a)

    response = client.post(
        change_url(event_a),
        _change_form_data(
            event_a,
            **{
                "status": Event.Status.HELD,
                "attendance-TOTAL_FORMS": 2,
                "attendance-0-audience": "adults",
                "attendance-0-count": 14,
                "attendance-1-audience": "seniors",
                "attendance-1-count": 6,
            },
        ),
    )

    assert response.status_code == 302
    assert sorted(event_a.attendance.values_list("audience", "count")) == [
        ("adults", 14),
        ("seniors", 6),
    ]


def test_staff_groups_have_event_permissions(librarian_a, branch_head_a, methodologist):
    assert librarian_a.has_perm("events.change_event")
    assert librarian_a.has_perm("events.view_registration")
    assert not librarian_a.has_perm("events.delete_event")
    assert branch_head_a.has_perm("events.delete_event")
    assert methodologist.has_perm("events.view_event")
    assert not methodologist.has_perm("events.view_registration")


def test_a_held_event_cannot_be_set_back_to_published_in_the_form(client, librarian_a, two_events):
    event_a, _ = two_events
    Event.objects.filter(pk=event_a.pk).update(status=Event.Status.HELD)
    event_a.refresh_from_db()
    client.force_login(librarian_a)

    response = client.post(
        change_url(event_a), _change_form_data(event_a, status=Event.Status.PUBLISHED)
    )

    assert response.status_code == 200
    assert "Не можна змінити стан" in response.content.decode()
    event_a.refresh_from_db()
    assert event_a.status == Event.Status.HELD


def test_publishing_in_the_form_stamps_the_publication_time_for_the_feed(
    client, librarian_a, branch_a
):
    event = EventFactory(branch=branch_a, status=Event.Status.DRAFT, published_at=None)
    client.force_login(librarian_a)

    response = client.post(
        change_url(event), _change_form_data(event, status=Event.Status.PUBLISHED)
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.published_at is not None


def test_methodologist_cannot_export_anyones_contacts(client, methodologist, two_events):
    client.force_login(methodologist)

    response = action(client, "export_registrants_csv", list(two_events))

    assert "text/csv" not in response.get("Content-Type", "")
    assert "oksana@example.org" not in response.content.decode()


def test_staff_find_phone_only_people_who_got_a_seat_from_the_waitlist(
    client, branch_head_a, branch_a
):
    event = EventFactory(branch=branch_a, capacity=1)
    first = registration_create(event=event, name="Оксана", email="oksana@example.org")
    registration_create(event=event, name="Петро Без Пошти", phone="0501112233")
    registration_create(event=event, name="Ірина Без Пошти", phone="0671112233")
    client.force_login(branch_head_a)

    registration_cancel(registration=first)
    response = client.get(REGISTRATIONS, {"reach": "promoted"})

    assert [r.name for r in response.context["cl"].result_list] == ["Петро Без Пошти"]


def test_staff_see_the_newest_events_and_registrations_first_and_filter_by_event(
    client, branch_head_a, branch_a
):
    old = EventFactory(
        branch=branch_a, title="Давній захід", starts_at=timezone.now() - timedelta(days=3000)
    )
    new = EventFactory(branch=branch_a, title="Свіжий захід")
    early = registration_create(event=new, name="Рання", email="early@example.org")
    registration_create(event=new, name="Пізня", email="late@example.org")
    Registration.objects.filter(pk=early.pk).update(created_at=timezone.now() - timedelta(days=2))
    registration_create(event=EventFactory(branch=branch_a), name="Інша", email="o@example.org")
    client.force_login(branch_head_a)

    events = client.get(EVENTS)
    registrations = client.get(REGISTRATIONS)
    filtered = client.get(REGISTRATIONS, {"event__id__exact": new.pk})

    starts = [event.starts_at for event in events.context["cl"].result_list]
    assert starts == sorted(starts, reverse=True)
    assert list(events.context["cl"].result_list)[-1] == old
    assert [r.name for r in registrations.context["cl"].result_list] == ["Інша", "Пізня", "Рання"]
    assert registrations.context["cl"].date_hierarchy == "created_at"
    assert "Свіжий захід" in registrations.content.decode()
    assert [r.name for r in filtered.context["cl"].result_list] == ["Пізня", "Рання"]
