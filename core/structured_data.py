"""schema.org JSON-LD in a page: one way to write the <script> element."""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

FREE_OFFER = {"@type": "Offer", "price": "0", "priceCurrency": "UAH"}
IN_STOCK = "https://schema.org/InStock"
OUT_OF_STOCK = "https://schema.org/OutOfStock"


def json_ld_script(data: dict) -> str:
    """`data` as <script type="application/ld+json">, with <, > and & escaped so that no text
    in it (a title, a library's name) can close the element."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
