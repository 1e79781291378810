"""Parts of Lutsk a reader without location in the browser can choose on the libraries page
(«Біля мене» without JavaScript). The points are approximate centres of the neighbourhoods
(to a few hundred metres, read off a city map): enough to put the nearest libraries first,
and nothing leaves the portal to look them up."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float


PLACES = {
    "old-town": Place(_("Старе місто, Луцький замок"), 50.7377, 25.3232),
    "centre": Place(_("Центр, Театральний майдан"), 50.7402, 25.3255),
    "kyivskyi-maidan": Place(_("Київський майдан"), 50.7517, 25.3479),
    "station": Place(_("Залізничний вокзал"), 50.7573, 25.3543),
    "33-mikroraion": Place(_("33-й мікрорайон"), 50.7545, 25.3712),
    "hnidava": Place(_("Гнідава"), 50.7449, 25.2983),
    "vyshkiv": Place(_("Вишків"), 50.7292, 25.3391),
}
