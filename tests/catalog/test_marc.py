"""MARC import and export on real files (tests/fixtures/marc, see its SOURCES.md)."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.urls import reverse

import catalog.marc.admin  # noqa: F401 — registers the upload admin until catalog.admin does
from catalog.marc import importer, mapping, reader
from catalog.marc.importer import ImportOptions, ImportReport, MarcImporter
from catalog.models import Contribution, Item, MarcImport, Person, Record, Subject
from catalog.tasks import marc_import_task
from tests.catalog.factories import ItemFactory, RecordFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "marc"
NLR = FIXTURES / "rusmarc-nlr-cp1251.iso"
GALSWORTHY = FIXTURES / "rusmarc-utf8-galsworthy.iso"
ONE = FIXTURES / "rusmarc-utf8-one.iso"
EMBEDDED = FIXTURES / "rusmarc-cp1251-embedded-455.iso"
MALFORMED = FIXTURES / "rusmarc-malformed-indicators.iso"


def run_import(path, *args, tmp_path):
    """Run `import_marc`; returns (stdout lines, report rows, exit code)."""
    report = tmp_path / f"report-{Path(path).stem}-{len(list(tmp_path.iterdir()))}.csv"
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(
            "import_marc", str(path), *args, "--report", str(report), stdout=out, stderr=err
        )
    except CommandError as exc:
        code = exc.returncode
    with report.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return out.getvalue().strip().splitlines(), rows, code


def counts_line(lines):
    return lines[-1]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- UNIMARC / RUSMARC ---------------------------------------------------------------------------


def test_cp1251_file_with_blank_leader_loads_all_81_records_with_cyrillic_titles(
    branch_a, tmp_path
):
    lines, rows, code = run_import(NLR, "--branch", branch_a.slug, tmp_path=tmp_path)

    assert code == 0
    assert counts_line(lines).startswith("Нових записів: 81, оновлено: 0, відхилено: 0")
    assert Record.objects.count() == 81
    titles = set(Record.objects.values_list("title", flat=True))
    # A volume of a set gets the set's common title from the embedded 461 $1 200.
    assert "Задачи и этюды. Вып. 13" in titles
    assert "Задачи и этюды" in titles
    assert "Светильник Сибири" in titles
    assert "Туризм: история и современность. Т. 2. кн. 4, Народная дипломатия и туризм" in titles
    volume = Record.objects.get(source_id="RU\\NLR\\bibl\\3415")
    assert volume.isbn == "9785744300432"
    assert volume.language == "rus"
    assert volume.year == 1997
    set_record = Record.objects.get(source_id="RU\\NLR\\bibl\\5996")
    assert set_record.subtitle == "Сб."
    assert set_record.bbk == "Ч515.815я43"
    assert [(c.person.name, c.role) for c in set_record.contributions.all()] == [
        ("Барсуков, В. Н.", Contribution.Role.EDITOR)
    ]
    assert list(set_record.subjects.values_list("name", flat=True)) == [
        "Шахматные композиции -- Сборники"
    ]
    # 899 $p is the inventory number, $j the shelf mark; the copies go to --branch.
    copy = Item.objects.get(inventory_number="141906")
    assert (copy.branch, copy.shelf_mark, copy.status) == (branch_a, "97-4/119", "on_shelf")
    assert Item.objects.count() == 92
    # Holdings without an inventory number are warnings, not rejections.
    assert all(row["outcome"] == "warning" for row in rows)
    assert "899 без інвентарного номера" in " ".join(row["message"] for row in rows)
    # The search document is built for every record.
    assert not Record.objects.filter(search_document__isnull=True).exists()


def test_cyrillic_x_as_isbn_check_digit_is_read_as_x(db, tmp_path):
    run_import(NLR, tmp_path=tmp_path)

    assert Record.objects.get(source_id="RU\\NLR\\bibl\\204591").isbn == "9785900776316"


def test_utf8_files_load_with_shelf_marks_and_prices_from_899(branch_a, tmp_path):
    lines, rows, code = run_import(GALSWORTHY, "--branch", branch_a.slug, tmp_path=tmp_path)
    assert code == 0
    assert counts_line(lines).startswith("Нових записів: 36, оновлено: 0, відхилено: 0")

    lines, rows, code = run_import(ONE, tmp_path=tmp_path)
    assert counts_line(lines).startswith("Нових записів: 1, оновлено: 0, відхилено: 0")

    first = Record.objects.get(source_id="RU/SPbGUKI/0322797")
    assert (first.title, first.subtitle, first.publisher, first.year) == (
        "Конец главы",
        "роман",
        "Лениздат",
        1960,
    )
    assert [c.person.name for c in first.contributions.all()] == ["Голсуорси, Джон"]
    assert Person.objects.get(name="Голсуорси, Джон").dates == "1867-1933"
    copy = Item.objects.get(inventory_number="598569")
    assert (copy.shelf_mark, copy.price, copy.branch) == ("И(Англ) Г61", Decimal("26.30"), branch_a)

    electronic = Record.objects.get(source_id="RU/SPbGUKI/224300018775")
    assert electronic.material_type == Record.MaterialType.E_RESOURCE
    assert electronic.annotation == "Это аннотация к данному названию"
    assert electronic.bbk == "78.552.2:2"
    roles = {c.person.name: c.role for c in electronic.contributions.all()}
    assert roles["Михеева, Галина Васильевна"] == Contribution.Role.OTHER
    # 899 without a library to put the copy in: the record loads, the copy is reported.
    assert "не створено" in " ".join(row["message"] for row in rows)


def test_embedded_4xx_field_does_not_confuse_the_mapper(db, tmp_path):
    lines, rows, code = run_import(EMBEDDED, tmp_path=tmp_path)

    assert code == 0
    assert counts_line(lines).startswith("Нових записів: 1, оновлено: 0, відхилено: 0")
    record = Record.objects.get()
    assert record.title == "Светильник Сибири"
    assert record.place == "М." and record.year == 1999  # 210, not the 455's embedded 210
    # The author of the reproduced original (455 $1 700) is not a contributor here twice.
    assert [(c.person.name, c.role) for c in record.contributions.all()] == [
        ("Титов, Федор Иванович", Contribution.Role.AUTHOR)
    ]


def test_malformed_indicators_are_repaired_and_the_report_says_so(db, tmp_path):
    lines, rows, code = run_import(MALFORMED, tmp_path=tmp_path)

    assert code == 0
    assert counts_line(lines).startswith("Нових записів: 1, оновлено: 0, відхилено: 0")
    record = Record.objects.get()
    # Leader/09 «a» wins over the 100$a that claims CP1251: the text is UTF-8.
    assert record.title == "ПЕДАГОГИКА И ПСИХОЛОГИЯ НЕНАСИЛИЯ В ОБРАЗОВАНИИ"
    assert record.edition == "2-е изд., пер. и доп"
    assert "Педагогика" in set(record.subjects.values_list("name", flat=True))
    repaired = [row for row in rows if "610" in row["message"] and "індикатор" in row["message"]]
    assert len(repaired) == 6
    assert {row["outcome"] for row in repaired} == {"warning"}
    assert repaired[0]["control_number"] == "RU/URAIT/363150"
    assert repaired[0]["record"] == "1" and repaired[0]["byte_offset"] == "0"


# --- MARC21 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "records", "title"),
    [
        ("pymarc-test.dat", 10, "ActivePerl with ASP and ADO"),
        ("pymarc-marc.dat", 20, "The pragmatic programmer"),
        ("pymarc-marc8.dat", 1, "Escape from loneliness"),
        ("pymarc-batch.xml", 2, "The Great Ray Charles"),
        ("pymarc-1251.dat", 6, "Основы гидравлического расчета инженерных сетей"),
        ("pymarc-testunimarc.dat", 1, "L'altra faccia della spirale"),
    ],
)
def test_marc21_samples_load(db, tmp_path, name, records, title):
    lines, rows, code = run_import(FIXTURES / name, tmp_path=tmp_path)

    assert code == 0, rows
    assert counts_line(lines).startswith(f"Нових записів: {records}, оновлено: 0, відхилено: 0")
    assert Record.objects.filter(title=title).exists()


def test_marc21_fields_map_to_the_catalogue(db, tmp_path):
    run_import(FIXTURES / "pymarc-test.dat", tmp_path=tmp_path)

    record = Record.objects.get(source_id="fol05754809")
    assert record.title == "Programming the Perl DBI"
    assert record.responsibility == "Alligator Descartes and Tim Bunce"
    assert (record.place, record.publisher, record.year) == ("Cmabridge, MA", "O'Reilly", 2000)
    assert record.isbn == "9781565926998"
    assert record.language == "eng"
    assert [c.person.name for c in record.contributions.all()] == [
        "Descartes, Alligator",
        "Bunce, Tim",
    ]
    assert set(record.subjects.values_list("name", flat=True)) == {
        "Perl (Computer program language)",
        "Database management",
    }


def test_marc8_file_that_is_really_cp1251_is_read_as_cp1251_with_a_warning(db, tmp_path):
    lines, rows, code = run_import(FIXTURES / "pymarc-1251.dat", tmp_path=tmp_path)

    assert "CP1251" in rows[0]["message"]
    assert Person.objects.filter(name="Линдгрен, Астрид").exists()


def test_broken_marc21_file_rejects_bad_records_with_positions_and_loads_the_good(db, tmp_path):
    lines, rows, code = run_import(FIXTURES / "pymarc-bad_records.mrc", tmp_path=tmp_path)

    assert code == 2
    # Records 1 and 8 are the same book without 001 or ISBN: the second finds the first.
    assert counts_line(lines).startswith("Нових записів: 1, оновлено: 1, відхилено: 7")
    assert Record.objects.get().title == "The pragmatic programmer"
    rejected = [row for row in rows if row["outcome"] == "rejected"]
    assert [(row["record"], row["byte_offset"]) for row in rejected] == [
        ("2", "127"),
        ("3", "254"),
        ("4", "381"),
        ("5", "509"),
        ("6", "637"),
        ("7", "764"),
        ("9", "917"),
    ]
    assert "BaseAddressInvalid" in rejected[0]["message"]
    assert "обривається" in rejected[-1]["message"]
    assert any(line.startswith("Звіт: ") for line in lines)


def test_broken_marcxml_record_is_rejected(db, tmp_path):
    lines, rows, code = run_import(FIXTURES / "pymarc-bad_tag.xml", tmp_path=tmp_path)

    assert code == 2
    assert counts_line(lines).startswith("Нових записів: 0, оновлено: 0, відхилено: 1")
    assert "leader" in rows[0]["message"] and rows[0]["line"] == "2"


def test_a_record_without_indicators_still_loads_with_a_warning(db, tmp_path):
    lines, rows, code = run_import(FIXTURES / "pymarc-bad_indicator.dat", tmp_path=tmp_path)

    assert code == 0
    assert Record.objects.get().title == "Aristocrats of color"
    assert any("індикатор" in row["message"] for row in rows)


def test_unreadable_bytes_reject_only_their_record(db, tmp_path):
    good = NLR.read_bytes()
    first_length = int(good[:5])
    # The second record declared UTF-8 (leader/09 «a») but its bytes are CP1251.
    second = bytearray(
        good[first_length : first_length + int(good[first_length : first_length + 5])]
    )
    second[9:10] = b"a"
    broken = tmp_path / "mixed.iso"
    broken.write_bytes(good[:first_length] + bytes(second))

    lines, rows, code = run_import(broken, tmp_path=tmp_path)

    assert code == 2
    assert counts_line(lines).startswith("Нових записів: 1, оновлено: 0, відхилено: 1")
    rejected = next(row for row in rows if row["outcome"] == "rejected")
    assert rejected["record"] == "2"
    assert rejected["byte_offset"] == str(first_length)
    assert "UTF-8" in rejected["message"]


def test_a_lying_record_length_does_not_spoil_the_records_after_it(db, tmp_path):
    data = GALSWORTHY.read_bytes()
    length = int(data[:5])
    broken = tmp_path / "lying-length.iso"
    broken.write_bytes(b"%05d" % (length - 7) + data[5:])

    lines, rows, code = run_import(broken, tmp_path=tmp_path)

    assert code == 2
    assert counts_line(lines).startswith("Нових записів: 35, оновлено: 0, відхилено: 1")


# --- idempotence, dry run, transactions ----------------------------------------------------------


def test_reimport_updates_records_and_copies_instead_of_duplicating(branch_a, tmp_path):
    run_import(NLR, "--branch", branch_a.slug, tmp_path=tmp_path)
    record = Record.objects.get(source_id="RU\\NLR\\bibl\\5996")
    record.title = "Змінено вручну"
    record.save()
    counts_before = (Record.objects.count(), Item.objects.count(), Person.objects.count())

    lines, rows, code = run_import(NLR, "--branch", branch_a.slug, tmp_path=tmp_path)

    assert code == 0
    assert counts_line(lines).startswith("Нових записів: 0, оновлено: 81, відхилено: 0")
    assert "примірників додано: 0, оновлено: 92" in counts_line(lines)
    assert (Record.objects.count(), Item.objects.count(), Person.objects.count()) == counts_before
    record.refresh_from_db()
    assert record.title == "Задачи и этюды"  # the source is the master copy
    assert Contribution.objects.filter(record=record).count() == 1


def test_a_record_without_001_is_found_again_by_isbn(db, tmp_path):
    existing = RecordFactory(title="Інша назва", isbn="9785744300432", source_id="")

    run_import(NLR, tmp_path=tmp_path)

    existing.refresh_from_db()
    assert existing.source_id == "RU\\NLR\\bibl\\3415"
    assert existing.title == "Задачи и этюды. Вып. 13"
    assert Record.objects.count() == 81


def test_dry_run_writes_nothing(branch_a, tmp_path):
    lines, rows, code = run_import(NLR, "--branch", branch_a.slug, "--dry-run", tmp_path=tmp_path)

    assert code == 0
    assert "Пробний прогін: до бази даних нічого не записано." in lines
    assert counts_line(lines).startswith("Нових записів: 81, оновлено: 0, відхилено: 0")
    assert not Record.objects.exists()
    assert not Item.objects.exists()
    assert not Person.objects.exists()
    assert not Subject.objects.exists()


def test_a_batch_the_database_refuses_is_retried_record_by_record(db, tmp_path, monkeypatch):
    real_insert = importer.records_insert

    def refuse_konec_glavy(rows, parts):
        if any(row["title"] == "Конец главы" for row in rows):
            raise IntegrityError("simulated refusal")
        return real_insert(rows, parts)

    monkeypatch.setattr(importer, "records_insert", refuse_konec_glavy)

    lines, rows, code = run_import(GALSWORTHY, "--batch-size", "50", tmp_path=tmp_path)

    rejected = [row for row in rows if row["outcome"] == "rejected"]
    assert code == 2
    assert not Record.objects.filter(title="Конец главы").exists()
    assert len(rejected) == 4
    assert {row["title"] for row in rejected} == {"Конец главы"}
    assert "simulated refusal" in rejected[0]["message"]
    assert Record.objects.count() == 36 - 4


def test_search_documents_are_those_records_reindex_computes(db, tmp_path):
    from catalog.indexing import records_reindex

    for path in (NLR, GALSWORTHY, ONE):
        run_import(path, tmp_path=tmp_path)
    imported = dict(Record.objects.values_list("pk", "search_document"))
    names = dict(Record.objects.values_list("pk", "search_names"))

    records_reindex(imported)

    assert dict(Record.objects.values_list("pk", "search_document")) == imported
    assert dict(Record.objects.values_list("pk", "search_names")) == names
    assert all(imported.values())


def test_copies_are_matched_on_inventory_number_and_moved_by_a_later_file(
    branch_a, branch_b, tmp_path
):
    run_import(GALSWORTHY, "--branch", branch_a.slug, tmp_path=tmp_path)
    run_import(GALSWORTHY, "--branch", branch_b.slug, tmp_path=tmp_path)

    assert Item.objects.filter(branch=branch_b).count() == Item.objects.count() > 0


def test_a_librarians_upload_leaves_other_libraries_copies_alone(branch_a, branch_b):
    with GALSWORTHY.open("rb") as fh:
        MarcImporter(
            options=ImportOptions(branch=branch_b), report=ImportReport(io.StringIO())
        ).run(fh)
    report = ImportReport(io.StringIO())
    with GALSWORTHY.open("rb") as fh:
        counts = MarcImporter(
            options=ImportOptions(branch=branch_a, restrict_to_branch=True), report=report
        ).run(fh)

    assert counts.updated == 36
    assert counts.items_updated == 0
    assert not Item.objects.filter(branch=branch_a).exists()
    assert any("іншій бібліотеці" in line for line in report.first_lines)


def test_a_barcode_already_used_by_another_copy_is_not_taken(branch_a, tmp_path):
    ItemFactory(branch=branch_a, inventory_number="OTHER-1", barcode="4820000000017")
    record = RecordFactory(title="Кобзар", source_id="")
    ItemFactory(
        record=record, branch=branch_a, inventory_number="05-0000001", barcode="4820000000024"
    )
    export = tmp_path / "one.iso"
    call_command("export_marc", "--output", str(export), stderr=io.StringIO())
    data = export.read_bytes().replace(b"4820000000024", b"4820000000017")
    Item.objects.filter(inventory_number="05-0000001").delete()
    export.write_bytes(data)

    lines, rows, code = run_import(export, tmp_path=tmp_path)

    assert Item.objects.get(inventory_number="05-0000001").barcode is None
    assert any("4820000000017" in row["message"] for row in rows)


# --- export and the round trip -------------------------------------------------------------------


def snapshot():
    """Everything an export carries, keyed by source id (or title for hand-made records)."""
    records = {}
    for record in Record.objects.prefetch_related(
        "contributions__person", "subjects", "items__branch"
    ):
        values = {name: getattr(record, name) for name in mapping.RECORD_FIELDS}
        if values["material_type"] == Record.MaterialType.LOCAL_LORE:
            values["material_type"] = Record.MaterialType.BOOK
        contributions = sorted(
            record.contributions.all(),
            key=lambda c: (c.role != Contribution.Role.AUTHOR, c.position),
        )
        values["contributors"] = [(c.person.name, c.person.dates, c.role) for c in contributions]
        values["subjects"] = sorted(s.name for s in record.subjects.all())
        values["items"] = sorted(
            (i.inventory_number, i.barcode, i.branch.slug, i.shelf_mark, i.status, i.price)
            for i in record.items.all()
            if i.status != Item.Status.WITHDRAWN
        )
        records[record.source_id or record.title] = values
    return records


def wipe():
    Item.objects.all().delete()
    Contribution.objects.all().delete()
    Record.objects.all().delete()
    Person.objects.all().delete()
    Subject.objects.all().delete()


@pytest.fixture
def catalogue(branch_a, branch_b, tmp_path):
    """The real RUSMARC files plus a hand-made Ukrainian record with every field filled."""
    for path in (NLR, GALSWORTHY, ONE, EMBEDDED):
        run_import(path, "--branch", branch_a.slug, tmp_path=tmp_path)
    record = RecordFactory(
        title="Кобзар",
        subtitle="вибрані поезії",
        responsibility="Тарас Шевченко ; упоряд. О. Петренко",
        publisher="Видавництво Старого Лева",
        place="Львів",
        year=2021,
        edition="2-ге вид.",
        isbn="9786176791232",
        language="ukr",
        material_type=Record.MaterialType.LOCAL_LORE,
        udc="821.161.2-1; 908(477.82)",
        bbk="84(4Укр)5-5",
        series="Бібліотека української класики ; 12",
        age_rating="12+",
        annotation="Перший абзац анотації.\n\nДругий абзац — про Волинь.",
        authors=["Шевченко, Тарас Григорович"],
        subjects=["Українська поезія -- 19 ст.", "Волинь"],
    )
    editor = Person.objects.create(name="Петренко, Олена", dates="нар. 1980")
    Contribution.objects.create(
        record=record, person=editor, role=Contribution.Role.COMPILER, position=1
    )
    Contribution.objects.create(
        record=record,
        person=Person.objects.create(name="Гомер"),
        role=Contribution.Role.OTHER,
        position=2,
    )
    ItemFactory(
        record=record,
        branch=branch_b,
        inventory_number="07-0000042",
        barcode="4820000000031",
        shelf_mark="Ш 84(4Укр)",
        status=Item.Status.ON_LOAN,
        price=Decimal("250.50"),
    )
    ItemFactory(record=record, branch=branch_a, inventory_number="05-0000043", status="lost")
    ItemFactory(
        record=RecordFactory(title="Періодика", material_type="periodical", language="ukr"),
        branch=branch_a,
        inventory_number="05-0000044",
        status=Item.Status.REFERENCE,
    )
    return snapshot()


@pytest.mark.parametrize(
    ("fmt", "syntax", "encoding"),
    [
        ("unimarc", "iso2709", "utf-8"),
        ("unimarc", "iso2709", "cp1251"),
        ("unimarc", "marcxml", "utf-8"),
        ("marc21", "iso2709", "utf-8"),
        ("marc21", "marcxml", "utf-8"),
    ],
)
def test_export_then_import_gives_back_the_same_records(catalogue, tmp_path, fmt, syntax, encoding):
    export = tmp_path / f"export.{syntax}"
    err = io.StringIO()
    call_command(
        "export_marc",
        "--format",
        fmt,
        "--syntax",
        syntax,
        "--encoding",
        encoding,
        "--output",
        str(export),
        stdout=io.StringIO(),
        stderr=err,
    )
    wipe()

    # No --branch: every copy names its library in the export.
    lines, rows, code = run_import(export, tmp_path=tmp_path)

    assert code == 0, [row for row in rows if row["outcome"] == "rejected"]
    assert counts_line(lines).startswith(
        f"Нових записів: {len(catalogue)}, оновлено: 0, відхилено: 0"
    )
    after = snapshot()
    assert after.keys() == catalogue.keys()
    for key, values in catalogue.items():
        assert after[key] == values, key


def test_export_of_one_library_has_only_its_copies(catalogue, branch_b, tmp_path):
    export = tmp_path / "branch.iso"
    out = io.StringIO()
    call_command(
        "export_marc",
        "--branch",
        branch_b.slug,
        "--output",
        str(export),
        stdout=out,
        stderr=io.StringIO(),
    )

    assert "Exported 1 records with 1 copies" in out.getvalue()
    assert b"07-0000042" in export.read_bytes()
    assert b"05-0000043" not in export.read_bytes()


def test_exported_unimarc_declares_its_character_set_in_100(catalogue, tmp_path):
    export = tmp_path / "cp1251.iso"
    call_command(
        "export_marc",
        "--encoding",
        "cp1251",
        "--output",
        str(export),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    data = export.read_bytes()

    assert data[9:10] == b" "
    assert reader.declared_unimarc_charset(data) == "cp1251"
    assert "Кобзар".encode("cp1251") in data


# --- the admin upload and the Celery task --------------------------------------------------------


def test_the_task_imports_an_upload_and_keeps_progress_and_report(
    branch_a, librarian_a, media, eager_celery
):
    upload = MarcImport.objects.create(
        file=SimpleUploadedFile("galsworthy.iso", GALSWORTHY.read_bytes()),
        original_name="galsworthy.iso",
        branch=branch_a,
        created_by=librarian_a,
    )

    assert marc_import_task.delay(upload.pk).get() == MarcImport.Status.DONE

    upload.refresh_from_db()
    assert upload.status == MarcImport.Status.DONE
    assert (upload.loaded, upload.updated, upload.rejected) == (36, 0, 0)
    assert upload.records_seen == 36
    assert upload.bytes_done == upload.bytes_total == GALSWORTHY.stat().st_size
    assert upload.percent == 100
    assert upload.items_created == Item.objects.filter(branch=branch_a).count() > 0
    assert upload.summary.startswith("Нових записів: 36, оновлено: 0, відхилено: 0")
    assert upload.started_at and upload.finished_at
    report = upload.report.read().decode("utf-8-sig")
    assert report.startswith("record;byte_offset;line;control_number;title;outcome;message")
    # A second delivery of the same task does nothing.
    assert marc_import_task.delay(upload.pk).get() == MarcImport.Status.DONE
    assert Record.objects.count() == 36


def test_librarian_uploads_a_file_in_admin_and_sees_the_result(
    client,
    branch_a,
    branch_b,
    librarian_a,
    media,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    client.force_login(librarian_a)
    add_url = reverse("admin:catalog_marcimport_add")

    page = client.get(add_url)
    assert page.status_code == 200
    branch_choices = page.context["adminform"].form.fields["branch"].queryset
    assert list(branch_choices) == [branch_a]

    def form(branch):
        return {
            "file": SimpleUploadedFile(
                "bad.mrc", (FIXTURES / "pymarc-bad_records.mrc").read_bytes()
            ),
            "branch": branch.pk,
            "format": "auto",
            "syntax": "auto",
            "encoding": "auto",
        }

    refused = client.post(add_url, form(branch_b))  # not offered, so not accepted
    assert refused.status_code == 200
    assert "branch" in refused.context["adminform"].form.errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add_url, form(branch_a))
    upload = MarcImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_marcimport_change", args=[upload.pk])
    assert upload.branch == branch_a
    assert upload.created_by == librarian_a
    assert upload.status == MarcImport.Status.DONE
    assert (upload.loaded, upload.updated, upload.rejected) == (1, 1, 7)

    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "data-running" not in content  # finished: no more refreshing
    report_url = reverse("admin:catalog_marcimport_report", args=[upload.pk])
    assert report_url in content
    report = client.get(report_url)
    assert report.status_code == 200
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    assert body.count(";rejected;") == 7


def test_a_running_import_page_offers_a_refresh_and_updates_itself(
    client, branch_a, librarian_a, media
):
    upload = MarcImport.objects.create(
        file=SimpleUploadedFile("x.iso", b"00026"),
        branch=branch_a,
        created_by=librarian_a,
        status=MarcImport.Status.RUNNING,
        bytes_total=1000,
        bytes_done=250,
    )
    client.force_login(librarian_a)

    page = client.get(reverse("admin:catalog_marcimport_change", args=[upload.pk]))

    content = page.content.decode()
    assert page.status_code == 200
    # No meta refresh (it moves a screen reader's user away, WCAG 2.2.1): a link does it by
    # hand, and a script every 3 s in place.
    assert 'http-equiv="refresh"' not in content
    assert "Імпорт триває." in content and "Оновити стан" in content
    assert 'marc-import-progress.js" data-seconds="3"' in content
    assert 'value="25"' in content


def test_another_librarian_cannot_see_the_upload_or_its_report(
    client, branch_a, librarian_a, librarian_b, media
):
    upload = MarcImport.objects.create(
        file=SimpleUploadedFile("x.iso", b"00026"), branch=branch_a, created_by=librarian_a
    )
    client.force_login(librarian_b)

    listing = client.get(reverse("admin:catalog_marcimport_changelist"))
    report = client.get(reverse("admin:catalog_marcimport_report", args=[upload.pk]))

    assert listing.status_code == 200
    assert "x.iso" not in listing.content.decode()
    assert report.status_code == 404


def test_a_file_that_is_not_marc_is_refused_at_upload(client, librarian_a, media):
    client.force_login(librarian_a)

    response = client.post(
        reverse("admin:catalog_marcimport_add"),
        {
            "file": SimpleUploadedFile("notes.txt", "Просто текст".encode()),
            "branch": librarian_a.staff_profile.branch_id,
            "format": "auto",
            "syntax": "auto",
            "encoding": "auto",
        },
    )

    assert response.status_code == 200
    assert "не схоже на файл MARC" in response.content.decode()
    assert not MarcImport.objects.exists()


def test_a_reader_without_permissions_cannot_upload(client, reader):
    client.force_login(reader)

    response = client.get(reverse("admin:catalog_marcimport_add"))

    assert response.status_code == 302


# --- parallel workers ----------------------------------------------------------------------------


def test_worker_processes_import_batches_in_file_order_and_stay_idempotent(
    django_db_serialized_rollback, tmp_path
):
    args = ("--branch", "branch-5", "--workers", "2", "--batch-size", "7")

    lines, rows, code = run_import(NLR, *args, tmp_path=tmp_path)

    assert code == 0
    assert counts_line(lines).startswith("Нових записів: 81, оновлено: 0, відхилено: 0")
    assert (Record.objects.count(), Item.objects.count()) == (81, 92)
    numbers = [int(row["record"]) for row in rows]
    assert numbers == sorted(numbers) and numbers
    assert not Record.objects.filter(search_document__isnull=True).exists()

    lines, rows, code = run_import(NLR, *args, tmp_path=tmp_path)

    assert counts_line(lines).startswith("Нових записів: 0, оновлено: 81, відхилено: 0")
    assert (Record.objects.count(), Item.objects.count()) == (81, 92)


def test_worker_processes_report_broken_records_like_one_process(
    django_db_serialized_rollback, tmp_path
):
    lines, rows, code = run_import(
        FIXTURES / "pymarc-bad_records.mrc",
        "--workers",
        "2",
        "--batch-size",
        "2",
        tmp_path=tmp_path,
    )

    assert code == 2
    # Records 1 and 8 are one book: the advisory lock on its key keeps batches from
    # creating it twice even when they run at the same time.
    assert counts_line(lines).startswith("Нових записів: 1, оновлено: 1, відхилено: 7")
    assert [row["record"] for row in rows if row["outcome"] == "rejected"] == [
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "9",
    ]


def test_export_goes_to_standard_output_without_a_file(catalogue, capsysbinary):
    err = io.StringIO()

    call_command("export_marc", "--syntax", "marcxml", "--no-progress", stderr=err)

    out = capsysbinary.readouterr().out
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert out.count(b"<record>") == len(catalogue)
    assert "to standard output" in err.getvalue()


def test_an_imported_record_is_found_by_the_pseudonym_and_by_the_real_name(db, tmp_path):
    import pymarc

    from catalog.search import search_records

    marc = pymarc.Record(force_utf8=True, leader="00000nam a2200000 a 4500")
    marc.add_field(pymarc.Field(tag="001", data="lesya-1"))
    marc.add_field(
        pymarc.Field(
            tag="100",
            indicators=["1", " "],
            subfields=[pymarc.Subfield("a", "Українка, Леся,"), pymarc.Subfield("d", "1871-1913")],
        ),
        pymarc.Field(
            tag="245",
            indicators=["1", "0"],
            subfields=[
                pymarc.Subfield("a", "Лісова пісня /"),
                pymarc.Subfield("c", "Леся Українка (Лариса Косач-Квітка)."),
            ],
        ),
    )
    path = tmp_path / "lesya.mrc"
    path.write_bytes(marc.as_marc())
    run_import(path, tmp_path=tmp_path)
    record = Record.objects.get(source_id="lesya-1")

    for query in ("Лесі Українки", "Леся Українка", "Лариса Косач", "Косач-Квітка"):
        assert [r.pk for r in search_records(query=query).records] == [record.pk], query
