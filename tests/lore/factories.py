import factory

from lore.models import Figure, Place


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    name = factory.Sequence(lambda n: f"Волинянка, Ганна {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    dates = "1900–1970"
    bio = "Поетеса з Волині."


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Село {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    kind = Place.Kind.VILLAGE
    description = "Село на Волині."
