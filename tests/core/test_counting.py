"""Counts in the admin read as Ukrainian: «1 бібліографічний запис», «3 бібліографічні
записи», «5 бібліографічних записів», «21 бібліографічний запис» (core.counting)."""

import pytest
from django.contrib import admin
from django.utils import translation

from core.counting import count_phrase, uk_plural_form

# What a Ukrainian writes after 1, 3, 5 and 21, written out by hand (not by pymorphy3) for
# every model in the admin. A model added to the admin must be added here.
EXPECTED = {
    "auth.Group": ("група", "групи", "груп"),
    "axes.AccessLog": ("вхід до адмінки", "входи до адмінки", "входів до адмінки"),
    "axes.AccessFailureLog": ("невдалий вхід", "невдалі входи", "невдалих входів"),
    "axes.AccessAttempt": ("спроба входу", "спроби входу", "спроб входу"),
    "core.OutgoingMail": ("лист у черзі", "листи в черзі", "листів у черзі"),
    "branches.Branch": ("бібліотека", "бібліотеки", "бібліотек"),
    "branches.Closure": ("день, коли зачинено", "дні, коли зачинено", "днів, коли зачинено"),
    "branches.Service": ("послуга", "послуги", "послуг"),
    "branches.Specialization": ("спеціалізація", "спеціалізації", "спеціалізацій"),
    "accounts.User": ("користувач", "користувачі", "користувачів"),
    "accounts.ReaderProfile": ("читач", "читачі", "читачів"),
    "catalog.Record": ("бібліографічний запис", "бібліографічні записи", "бібліографічних записів"),
    "catalog.Person": ("особа", "особи", "осіб"),
    "catalog.Subject": ("рубрика", "рубрики", "рубрик"),
    "catalog.Item": ("примірник", "примірники", "примірників"),
    "catalog.IntakeBatch": ("надходження (акт)", "надходження", "надходжень"),
    "catalog.Withdrawal": ("акт списання", "акти списання", "актів списання"),
    "catalog.OnlineResource": ("онлайн-ресурс", "онлайн-ресурси", "онлайн-ресурсів"),
    "catalog.PurchaseSuggestion": (
        "пропозиція придбати",
        "пропозиції придбати",
        "пропозицій придбати",
    ),
    "catalog.SearchLog": ("пошуковий запит", "пошукові запити", "пошукових запитів"),
    "catalog.MarcImport": ("імпорт MARC", "імпорти MARC", "імпортів MARC"),
    "events.Event": ("захід", "заходи", "заходів"),
    "news.NewsItem": ("новина", "новини", "новин"),
    "digital.Collection": ("колекція", "колекції", "колекцій"),
    "digital.DigitalDocument": (
        "оцифрований документ",
        "оцифровані документи",
        "оцифрованих документів",
    ),
    "lore.Figure": ("персоналія", "персоналії", "персоналій"),
    "lore.Place": ("місце краю", "місця краю", "місць краю"),
    "events.Registration": ("реєстрація", "реєстрації", "реєстрацій"),
    "events.Club": ("клуб або школа", "клуби та школи", "клубів та шкіл"),
    "events.Topic": ("тема", "теми", "тем"),
    "events.Partner": ("партнер", "партнери", "партнерів"),
    "volunteers.Application": ("анкета волонтера", "анкети волонтерів", "анкет волонтерів"),
    "volunteers.Opportunity": (
        "потреба у волонтерах",
        "потреби у волонтерах",
        "потреб у волонтерах",
    ),
    "volunteers.HoursEntry": (
        "запис годин волонтера",
        "записи годин волонтерів",
        "записів годин волонтерів",
    ),
    "volunteers.DeliveryRequest": (
        "доставка книг додому",
        "доставки книг додому",
        "доставок книг додому",
    ),
    "branches.TourRequest": (
        "заявка на екскурсію",
        "заявки на екскурсію",
        "заявок на екскурсію",
    ),
    "reference.Question": ("запитання читача", "запитання читачів", "запитань читачів"),
    "reference.Enquiry": ("довідка", "довідки", "довідок"),
    "reference.Feedback": ("відгук", "відгуки", "відгуків"),
    "reference.Survey": ("опитування", "опитування", "опитувань"),
    "reference.SurveyQuestion": (
        "запитання опитування",
        "запитання опитувань",
        "запитань опитувань",
    ),
    "spaces.Resource": (
        "простір для бронювання",
        "простори для бронювання",
        "просторів для бронювання",
    ),
    "spaces.Booking": ("бронювання простору", "бронювання просторів", "бронювань просторів"),
    "egov.Topic": ("тема", "теми", "тем"),
    "egov.Guide": ("інструкція", "інструкції", "інструкцій"),
    "egov.HelpRequest": ("запит на допомогу", "запити на допомогу", "запитів на допомогу"),
    "egov.WalkIn": ("звернення без запису", "звернення без запису", "звернень без запису"),
    "egov.Slot": ("час консультації", "часи консультацій", "часів консультацій"),
    "egov.Booking": ("бронювання", "бронювання", "бронювань"),
    "circulation.LoanPolicy": ("правило видачі", "правила видачі", "правил видачі"),
    "circulation.Loan": ("видача", "видачі", "видач"),
    "circulation.Hold": ("замовлення", "замовлення", "замовлень"),
    "circulation.Transit": ("переміщення", "переміщення", "переміщень"),
    "strategy.Plan": ("план розвитку", "плани розвитку", "планів розвитку"),
    "strategy.Direction": ("напрямок", "напрямки", "напрямків"),
    "strategy.Metric": ("показник", "показники", "показників"),
    "strategy.Indicator": ("показник напрямку", "показники напрямків", "показників напрямків"),
    "strategy.Milestone": ("етап", "етапи", "етапів"),
    "strategy.ManualValue": (
        "значення показника",
        "значення показників (ручні)",
        "значень показників (ручні)",
    ),
    "strategy.ReportRow": ("рядок форми 6-НК", "рядки форми 6-НК", "рядків форми 6-НК"),
    "strategy.GrantApplication": ("грантова заявка", "грантові заявки", "грантових заявок"),
    "strategy.ExtraIncome": (
        "позабюджетне надходження",
        "позабюджетні надходження",
        "позабюджетних надходжень",
    ),
    "strategy.TrainingRecord": (
        "навчання працівника",
        "навчання працівників",
        "навчань працівників",
    ),
    "strategy.TrainingPlan": ("план навчання", "плани навчання", "планів навчання"),
    "strategy.StudyTrip": ("навчальна поїздка", "навчальні поїздки", "навчальних поїздок"),
    "branches.PaidService": ("платна послуга", "платні послуги", "платних послуг"),
}


def registered():
    return sorted(model._meta.label for model in admin.site._registry)


def test_every_model_in_the_admin_has_its_counted_forms_written_out_here():
    assert sorted(EXPECTED) == registered()


@pytest.mark.parametrize("label", registered())
def test_every_admin_model_is_counted_in_ukrainian_grammar(label):
    from django.apps import apps

    opts = apps.get_model(label)._meta
    one, few, many = EXPECTED[label]

    with translation.override("uk"):
        phrases = [count_phrase(n, opts) for n in (1, 3, 5, 21)]

    assert phrases == [f"1 {one}", f"3 {few}", f"5 {many}", f"21 {one}"]


@pytest.mark.parametrize(
    ("count", "form"),
    [(0, 2), (1, 0), (2, 1), (4, 1), (5, 2), (11, 2), (12, 2), (14, 2), (20, 2), (21, 0)]
    + [(22, 1), (25, 2), (101, 0), (111, 2), (112, 2), (122, 1), (2045, 2)],
)
def test_the_plural_rule_is_the_one_of_the_catalogue_header(count, form):
    assert uk_plural_form(count) == form


def test_in_english_the_names_are_django_s_own():
    from catalog.models import Record

    with translation.override("en"):
        assert count_phrase(1, Record._meta) == "1 bibliographic record"
        assert count_phrase(5, Record._meta) == "5 bibliographic records"
