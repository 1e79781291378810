"""The reader's event registrations and club memberships in «Мій формуляр» (accounts.me).
Both link to the reader's account (`user`), so they are matched by it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.me import MeSection, register
from events.models import ClubMembership, Registration


def registrations_context(request, profile):
    registrations = (
        Registration.objects.filter(user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(event__starts_at__gte=timezone.now() - timezone.timedelta(days=1))
        .select_related("event", "event__branch")
        .order_by("event__starts_at")
    )
    return {"registrations": list(registrations)}


def registrations_export(user):
    return {
        "registrations": [
            {
                "event": registration.event.title,
                "starts_at": registration.event.starts_at.isoformat(),
                "status": registration.status,
                "seats": registration.seats,
                "name": registration.name,
                "email": registration.email,
                "phone": registration.phone,
                "created_at": registration.created_at.isoformat(),
            }
            for registration in Registration.objects.filter(user=user).select_related("event")
        ]
    }


def memberships_context(request, profile):
    memberships = (
        ClubMembership.objects.filter(user=request.user, left_on__isnull=True)
        .select_related("club", "club__branch")
        .order_by("club__name")
    )
    return {"memberships": list(memberships)}


def memberships_export(user):
    return {
        "club_memberships": [
            {
                "club": membership.club.name,
                "joined_on": membership.joined_on.isoformat(),
                "left_on": membership.left_on.isoformat() if membership.left_on else None,
                "name": membership.name,
                "email": membership.email,
                "phone": membership.phone,
            }
            for membership in ClubMembership.objects.filter(user=user).select_related("club")
        ]
    }


def register_sections():
    register(
        MeSection(
            key="events",
            title=_("Мої реєстрації на заходи"),
            template="events/_me_registrations.html",
            context=registrations_context,
            order=30,
            export=registrations_export,
        )
    )
    register(
        MeSection(
            key="clubs",
            title=_("Мої клуби"),
            template="events/_me_clubs.html",
            context=memberships_context,
            order=40,
            export=memberships_export,
        )
    )
