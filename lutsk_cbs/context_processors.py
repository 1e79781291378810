from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
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
                "url": _url_in(path, code),
                "current": code == current,
            }
            for code, name in LANGUAGE_NAMES.items()
        ],
        "central_library": SimpleLazyObject(central_library),
        "MAP_TILES_URL": settings.MAP_TILES_URL,
        "MAP_TILES_ATTRIBUTION": settings.MAP_TILES_ATTRIBUTION,
    }


def footer_cache_clear(**_signal):
    """Drops the footer cached in base.html (`{% cache … site_footer LANGUAGE_CODE %}`) in
    every language; connected to a library's save and delete (lutsk_cbs.apps), since the
    footer shows the central library's name and contacts. Again at commit: a page rendered
    in between would have cached what it read before the change."""
    keys = [make_template_fragment_key("site_footer", [code]) for code, _name in settings.LANGUAGES]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _url_in(path, code):
    """The same page in language `code`. Addresses Django cannot resolve (a page that does not
    exist) still switch: Ukrainian lives at the root, English under /en/."""
    translated = translate_url(path, code)
    if translated != path or code == get_language():
        return translated
    english = path == "/en" or path.startswith("/en/")
    if code == "en" and not english:
        return "/en" + path
    if code != "en" and english:
        return path.removeprefix("/en") or "/"
    return translated
