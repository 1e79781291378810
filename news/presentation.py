"""What the news pages show besides the model: schema.org JSON-LD."""

from django.conf import settings
from django.templatetags.static import static

from core.structured_data import json_ld_script


def news_json_ld(item, request):
    url = request.build_absolute_uri(item.get_absolute_url())
    photos = list(item.photos.all())
    images = [request.build_absolute_uri(photo.image.url) for photo in photos] or [
        request.build_absolute_uri(static("favicon.svg"))
    ]
    publisher = {"@type": "Library", "name": "ЦБС м. Луцька", "url": settings.SITE_URL + "/"}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title[:110],
        "description": item.lead,
        "articleBody": item.body,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": item.published_at.isoformat(),
        "dateModified": max(item.updated_at, item.published_at).isoformat(),
        "image": images,
        "inLanguage": "uk",
        "publisher": publisher,
        "author": (
            {
                "@type": "Library",
                "name": item.branch.name,
                "url": request.build_absolute_uri(item.branch.get_absolute_url()),
            }
            if item.branch
            else publisher
        ),
    }
    return json_ld_script(data)
