"""What the digitised documents' pages show besides the model: schema.org JSON-LD."""

from django.conf import settings
from django.core.files.storage import default_storage

from core.structured_data import json_ld_script
from digital.models import DigitalDocument

SCHEMA_TYPES = {
    DigitalDocument.Kind.PHOTOGRAPH: "Photograph",
    DigitalDocument.Kind.POSTCARD: "VisualArtwork",
    DigitalDocument.Kind.MAP: "Map",
    DigitalDocument.Kind.NEWSPAPER: "PublicationIssue",
    DigitalDocument.Kind.POSTER: "VisualArtwork",
    DigitalDocument.Kind.BOOK: "Book",
}


def document_json_ld(document, request):
    """The document as an ArchiveComponent held by its library, and as what it is (Photograph,
    Map…) where schema.org has a type for it."""
    url = request.build_absolute_uri(document.get_absolute_url())
    kinds = ["ArchiveComponent"]
    if document.kind in SCHEMA_TYPES:
        kinds.append(SCHEMA_TYPES[document.kind])
    data = {
        "@context": "https://schema.org",
        "@type": kinds,
        "name": document.title,
        "url": url,
        "inLanguage": "uk",
        "license": document.rights,
        "holdingArchive": {
            "@type": "Library",
            "name": document.branch.name,
            "url": request.build_absolute_uri(document.branch.get_absolute_url()),
        },
        "publisher": {"@type": "Library", "name": "ЦБС м. Луцька", "url": settings.SITE_URL + "/"},
    }
    if document.description:
        data["description"] = document.description
    if document.date_text:
        data["temporalCoverage"] = document.date_text
    if document.place:
        data["spatialCoverage"] = {"@type": "Place", "name": document.place}
    if document.cover_thumb:
        data["thumbnailUrl"] = request.build_absolute_uri(default_storage.url(document.cover_thumb))
    return json_ld_script(data)
