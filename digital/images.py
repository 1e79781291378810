"""Pillow work on one uploaded scan: check it, remove its GPS position, make the web sizes.

Pillow directly rather than easy-thumbnails or sorl-thumbnail: the viewer needs three fixed
sizes made once, when the page is uploaded, and the GPS position removed from the file readers
download, which those libraries do not do for the original; they would add their own tables
and a cache of sizes made on first request. Pillow is already a dependency (ImageField).
"""

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats a scanner or a phone writes; anything else is refused with a message.
ACCEPTED_FORMATS = {"JPEG", "PNG", "TIFF", "WEBP", "MPO"}
# An A3 sheet at 600 dpi is about 70 megapixels; more is not a page scan (or is a bomb).
MAX_PIXELS = 80_000_000
MAX_BYTES = 60 * 1024 * 1024
# The longest side of each web size, in pixels: the viewer's srcset offers all three.
SIZES = {"large": 1600, "medium": 800, "thumb": 320}
GPS_IFD = 0x8825
ORIENTATION = 0x0112
XMP = 0x02BC

NOT_AN_IMAGE = _(
    "Файл «%(name)s» не є зображенням або пошкоджений. Завантажте скан чи фото у форматі "
    "JPEG, PNG, TIFF або WebP."
)
NOT_AN_IMAGE_PLAIN = _(
    "Файл не є зображенням або пошкоджений. Завантажте скан чи фото у форматі JPEG, PNG, "
    "TIFF або WebP."
)
WRONG_FORMAT = _(
    "Формат %(format)s не підходить. Завантажте скан чи фото у форматі JPEG, PNG, TIFF або WebP."
)
TOO_LARGE = _(
    "Зображення завелике: %(megapixels)s Мпікс. Зменште скан до 80 мегапікселів "
    "(аркуш А3 при 600 dpi)."
)
TOO_HEAVY = _("Файл завеликий: понад 60 МБ. Збережіть скан у форматі JPEG.")


@dataclass
class Processed:
    """The file to keep as the page's full image and the web sizes, as (file name, bytes)."""

    full: tuple[str, bytes]
    sizes: dict[str, tuple[str, bytes]]
    width: int
    height: int


def image_check(upload) -> None:
    """Refuse, with a message a librarian understands, what is not a scan we can show."""
    name = PurePath(getattr(upload, "name", "") or "").name
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(TOO_HEAVY, code="too_heavy")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    WRONG_FORMAT, code="format", params={"format": image.format or "?"}
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    TOO_LARGE,
                    code="too_large",
                    params={"megapixels": round(width * height / 1_000_000)},
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image", params={"name": name}) from None
    finally:
        upload.seek(0)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or greyscale for JPEG; transparency goes onto white paper."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _clean_exif(image: Image.Image) -> Image.Exif:
    """The file's EXIF without the GPS position, the orientation (applied to the pixels) and the
    embedded XMP packet (it may repeat the position)."""
    exif = image.getexif()
    for tag in (GPS_IFD, ORIENTATION, XMP):
        exif.pop(tag, None)
    return exif


def image_process(upload) -> Processed:
    """The page's full image and web sizes from an uploaded scan (already `image_check`ed).

    A JPEG already upright is re-saved with its own quantisation tables (quality="keep"), so
    the full image loses nothing visible; it only loses its GPS position. Other formats and
    turned photos become a JPEG of quality 92, except PNG, which stays lossless."""
    upload.seek(0)
    stem = PurePath(getattr(upload, "name", "") or "page").stem[:60] or "page"
    with Image.open(upload) as source:
        source.load()
        orientation = source.getexif().get(ORIENTATION, 1)
        turned = orientation not in (1, None)
        # Before the EXIF is cleaned: exif_transpose reads the orientation from it.
        upright = ImageOps.exif_transpose(source) if turned else source.copy()
        exif = _clean_exif(source)
        icc = source.info.get("icc_profile")
        options = {"exif": exif.tobytes()}
        if icc:
            options["icc_profile"] = icc
        out = io.BytesIO()
        if source.format in ("JPEG", "MPO") and not turned and source.mode in ("RGB", "L", "CMYK"):
            source.save(out, format="JPEG", quality="keep", subsampling="keep", **options)
            full_name = f"{stem}.jpg"
        elif source.format == "PNG":
            upright.save(out, format="PNG", **options)
            full_name = f"{stem}.png"
        else:
            _flatten(upright).save(out, format="JPEG", quality=92, **options)
            full_name = f"{stem}.jpg"
    upright = _flatten(upright)
    width, height = upright.size
    sizes = {}
    # Largest first, each size made from the one before: the full scan is resampled once.
    copy = upright
    for key, limit in sorted(SIZES.items(), key=lambda item: -item[1]):
        copy = copy.copy()
        copy.thumbnail((limit, limit), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        copy.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
        sizes[key] = (f"{stem}-{limit}.jpg", buffer.getvalue())
    return Processed(full=(full_name, out.getvalue()), sizes=sizes, width=width, height=height)


def scaled_width(width: int, height: int, limit: int) -> int:
    """The width of a web size of a `width`×`height` image whose longest side fits `limit`."""
    longest = max(width, height)
    if not longest or longest <= limit:
        return width
    return max(1, round(width * limit / longest))
