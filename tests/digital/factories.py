import io
from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from digital.models import Collection, DigitalDocument, DigitalPage


def jpeg(width=1000, height=700, *, exif=None, colour=(150, 110, 60), name="scan.jpg"):
    """An uploaded JPEG of the given size (with `exif`, a PIL Exif, when given)."""
    buffer = io.BytesIO()
    options = {"exif": exif.tobytes()} if exif is not None else {}
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG", **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    title = factory.Sequence(lambda n: f"Колекція {n}")


class DigitalDocumentFactory(factory.django.DjangoModelFactory):
    """A published photograph of the 1930s; pass `branch`."""

    class Meta:
        model = DigitalDocument

    title = factory.Sequence(lambda n: f"Фото Луцька {n}")
    kind = DigitalDocument.Kind.PHOTOGRAPH
    date_text = "1930-ті"
    year_from = 1930
    year_to = 1939
    place = "Луцьк"
    description = "Перший абзац.\n\nДругий абзац."
    digitised_on = factory.LazyFunction(date.today)
    is_published = True


class DigitalPageFactory(factory.django.DjangoModelFactory):
    """A page whose files are only named (no image is written): for counts and lists."""

    class Meta:
        model = DigitalPage

    document = factory.SubFactory(DigitalDocumentFactory)
    position = factory.Sequence(lambda n: n)
    image = factory.Sequence(lambda n: f"digital/full/p{n}.jpg")
    large = factory.Sequence(lambda n: f"digital/large/p{n}.jpg")
    medium = factory.Sequence(lambda n: f"digital/medium/p{n}.jpg")
    thumb = factory.Sequence(lambda n: f"digital/thumb/p{n}.jpg")
    width = 2000
    height = 1500
    caption = factory.Sequence(lambda n: f"Підпис {n}")
