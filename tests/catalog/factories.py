"""Catalogue factories shared by the catalogue tests. Call
`catalog.indexing.records_reindex(ids)` after creating records that a test searches for."""

import factory

from catalog.models import Contribution, Item, Person, Record, Subject
from tests.factories import BranchFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Автор{n}, Тестовий")


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Рубрика {n}")


class RecordFactory(factory.django.DjangoModelFactory):
    """`RecordFactory(authors=["Шевченко, Тарас"], subjects=["Поезія"])` adds contributions
    and subjects by name."""

    class Meta:
        model = Record
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Тестова книга {n}")
    year = 2020
    language = "ukr"
    material_type = Record.MaterialType.BOOK

    @factory.post_generation
    def authors(self, create, names, **kwargs):
        for position, name in enumerate(names or []):
            person = name if isinstance(name, Person) else PersonFactory(name=name)
            Contribution.objects.create(record=self, person=person, position=position)

    @factory.post_generation
    def subjects(self, create, names, **kwargs):
        for name in names or []:
            self.subjects.add(name if isinstance(name, Subject) else SubjectFactory(name=name))


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    record = factory.SubFactory(RecordFactory)
    branch = factory.SubFactory(BranchFactory)
    inventory_number = factory.Sequence(lambda n: f"T-{n:06d}")
    status = Item.Status.ON_SHELF
