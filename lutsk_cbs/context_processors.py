from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

# Each language is named in itself, so a reader finds theirs whatever the page's language.
LANGUAGE_NAMES = {"uk": "Українська", "en": "English"}


def portal(request):
    current = get_language()
    path = request.get_full_path()

    def central_library():
        from branches.models import Branch

        return Branch.objects.filter(kind=Branch.Kind.CENTRAL).first()

    return {
        "portal_languages": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, name in LANGUAGE_NAMES.items()
        ],
        "central_library": SimpleLazyObject(central_library),
        "MAP_TILES_URL": settings.MAP_TILES_URL,
        "MAP_TILES_ATTRIBUTION": settings.MAP_TILES_ATTRIBUTION,
    }
