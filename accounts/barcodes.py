"""The card's barcode: Code 128 as SVG, drawn on the server (python-barcode)."""

import base64
import io

from barcode import Code128
from barcode.writer import SVGWriter


def card_barcode_svg(card_number: str) -> str:
    buffer = io.BytesIO()
    Code128(card_number, writer=SVGWriter()).write(
        buffer,
        options={"write_text": False, "module_width": 0.3, "module_height": 12, "quiet_zone": 3},
    )
    return buffer.getvalue().decode()


def card_barcode_data_uri(card_number: str) -> str:
    """For `<img src=…>`: the page's CSP allows data: images, not inline SVG styles."""
    svg = card_barcode_svg(card_number).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
