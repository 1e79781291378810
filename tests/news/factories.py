from datetime import timedelta

import factory
from django.utils import timezone

from news.models import NewsItem


class NewsItemFactory(factory.django.DjangoModelFactory):
    """A published item of a day ago; pass `branch=None` for the whole network."""

    class Meta:
        model = NewsItem

    title = factory.Sequence(lambda n: f"Новина {n}")
    lead = "Коротко про головне."
    body = "Перший абзац.\n\nДругий абзац."
    status = NewsItem.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
