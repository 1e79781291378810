"""The MARC import under bad files, faults and a second worker: what a librarian or an
administrator running `import_marc` sees when things go wrong."""

import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pymarc
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pymarc import Field, Indicators, Subfield

import catalog.marc.admin  # noqa: F401 — registers the upload admin
from catalog.marc import importer
from catalog.marc.importer import ImportOptions, ImportReport, MarcImporter
from catalog.models import Contribution, MarcImport, Record
from tests.catalog.factories import RecordFactory
from tests.factories import BranchFactory
from tests.test_celery import database_url_for_worker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "marc"
NLR = FIXTURES / "rusmarc-nlr-cp1251.iso"
GALSWORTHY = FIXTURES / "rusmarc-utf8-galsworthy.iso"
BAD = FIXTURES / "pymarc-bad_records.mrc"

DUBLIN_CORE = b"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
<record><header><identifier>oai:x:1</identifier></header><metadata>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Kobzar</dc:title></oai_dc:dc>
</metadata></record></ListRecords></OAI-PMH>
"""
OAI_MARC = b"""<?xml version="1.0" encoding="UTF-8"?>
<oai_marc status="c" type="a" level="m">
<fixfield id="001">"000000001"</fixfield>
<varfield id="245" i1="1" i2="0"><subfield label="a">Kobzar</subfield></varfield>
</oai_marc>
"""


def marc21_xml_record(control: str, title: str) -> str:
    return (
        '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>'
        f'<controlfield tag="001">{control}</controlfield>'
        f'<datafield tag="245" ind1="0" ind2="0"><subfield code="a">{title}</subfield></datafield>'
        "</record>"
    )


def import_command(path, *args, tmp_path):
    """(exit code, stdout, the error message) of `import_marc`."""
    out = io.StringIO()
    try:
        call_command(
            "import_marc",
            str(path),
            *args,
            "--report",
            str(tmp_path / "report.csv"),
            stdout=out,
            stderr=io.StringIO(),
        )
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), ""


def advisory_locks_held() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def outside_parentheses(text: str) -> str:
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\([^()]*\)", "", text)
    return text


# --- a dry run of any size ------------------------------------------------------------------------


def test_a_dry_run_frees_each_batchs_locks_instead_of_piling_them_up(branch_a, tmp_path):
    held = []
    report = ImportReport(io.StringIO())
    counts = MarcImporter(
        options=ImportOptions(branch=branch_a, batch_size=5, dry_run=True),
        report=report,
        on_progress=lambda counts: held.append(advisory_locks_held()),
    ).run(NLR.open("rb"))

    # 81 records × up to three keys each would have stayed locked to the end before.
    assert len(held) > 10
    assert max(held) == 0
    assert counts.loaded == 81
    assert not Record.objects.exists()


def test_a_dry_run_of_the_command_checks_every_record_and_writes_nothing(branch_a, tmp_path):
    code, out, error = import_command(
        BAD, "--dry-run", "--batch-size", "2", "--branch", branch_a.slug, tmp_path=tmp_path
    )

    assert code == 2
    assert "Пробний прогін: до бази даних нічого не записано." in out
    assert "Відхилено записів: 7" in error
    assert not Record.objects.exists()


# --- files with no MARC records -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.iso", b"", "порожній"),
        ("blank.mrc", b"\r\n\r\n", "порожній"),
        ("dublin-core.xml", DUBLIN_CORE, "Dublin Core"),
        ("old.xml", OAI_MARC, "oai_marc"),
    ],
)
def test_a_file_without_marc_records_fails_with_a_clear_message(db, tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)

    code, out, error = import_command(path, tmp_path=tmp_path)

    assert code == 3
    assert "немає жодного запису" in error
    assert says in error
    assert "Нічого не імпортовано." in error


def test_an_upload_of_dublin_core_ends_as_failed_with_the_reason_on_its_page(
    client,
    branch_a,
    librarian_a,
    settings,
    tmp_path,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(librarian_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:catalog_marcimport_add"),
            {
                "file": SimpleUploadedFile("dc.xml", DUBLIN_CORE),
                "branch": branch_a.pk,
                "format": "auto",
                "syntax": "auto",
                "encoding": "auto",
            },
        )

    upload = MarcImport.objects.get()
    assert upload.status == MarcImport.Status.FAILED
    assert "Dublin Core" in upload.summary
    page = client.get(reverse("admin:catalog_marcimport_change", args=[upload.pk]))
    assert "У файлі немає жодного запису MARCXML." in page.content.decode()
    assert "Помилка" in page.content.decode()


def test_marc_records_in_an_oai_pmh_envelope_are_read_and_numbered_as_records(db, tmp_path):
    path = tmp_path / "oai.xml"
    path.write_text(
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
        + "".join(
            f"<record><header><identifier>oai:x:{n}</identifier></header>"
            f"<metadata>{marc21_xml_record(f'x{n}', title)}</metadata></record>"
            for n, title in ((1, "Перша"), (2, ""))
        )
        + "</ListRecords></OAI-PMH>",
        encoding="utf-8",
    )

    code, out, error = import_command(path, tmp_path=tmp_path)

    assert code == 2
    assert Record.objects.get().title == "Перша"
    report = (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    assert "\n2;" in report  # the second record is record 2, not 4


# --- messages in Ukrainian ------------------------------------------------------------------------


def test_every_rejection_reason_is_ukrainian_with_technical_words_only_in_parentheses(db, tmp_path):
    broken_xml = tmp_path / "broken.xml"
    broken_xml.write_text(
        "<collection>" + marc21_xml_record("a1", "Ціла") + "<record><leader>", encoding="utf-8"
    )
    reasons = []
    for path in (BAD, broken_xml):
        report = ImportReport(io.StringIO())
        MarcImporter(options=ImportOptions(), report=report).run(path.open("rb"))
        reasons += [line.split(": ", 1)[1] for line in report.first_lines if "відхилено" in line]

    assert len(reasons) == 8
    for reason in reasons:
        assert re.search("[а-яіїєґ]{4}", reason), reason
        assert not re.search("[a-z]{3}", outside_parentheses(reason)), reason


def test_the_admin_summary_is_ukrainian(branch_a, librarian_a, settings, tmp_path, eager_celery):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = MarcImport.objects.create(
        file=SimpleUploadedFile("galsworthy.iso", GALSWORTHY.read_bytes()),
        branch=branch_a,
        created_by=librarian_a,
    )

    importer.marc_upload_run(upload_id=upload.pk)

    upload.refresh_from_db()
    assert upload.summary.startswith("Нових записів: 36, оновлено: 0, відхилено: 0 (попереджень:")
    assert not re.search("[A-Za-z]{3}", upload.summary.splitlines()[0])


# --- an upload is run by one worker at a time -----------------------------------------------------


def upload_of(path, branch, **fields):
    return MarcImport.objects.create(
        file=SimpleUploadedFile(path.name, path.read_bytes()), branch=branch, **fields
    )


def test_a_redelivered_upload_is_not_started_while_another_worker_runs_it(
    branch_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = upload_of(
        GALSWORTHY, branch_a, status=MarcImport.Status.RUNNING, heartbeat_at=timezone.now()
    )

    assert importer.marc_upload_run(upload_id=upload.pk) == MarcImport.Status.RUNNING

    upload.refresh_from_db()
    assert upload.status == MarcImport.Status.RUNNING
    assert not upload.report
    assert not Record.objects.exists()


def test_an_upload_whose_worker_went_silent_is_taken_over_and_finished(
    branch_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    silent_since = timezone.now() - timezone.timedelta(seconds=importer.HEARTBEAT_STALE_SECONDS + 1)
    upload = upload_of(
        GALSWORTHY, branch_a, status=MarcImport.Status.RUNNING, heartbeat_at=silent_since
    )

    assert importer.marc_upload_run(upload_id=upload.pk) == MarcImport.Status.DONE

    upload.refresh_from_db()
    assert upload.loaded == Record.objects.count() == 36
    assert upload.heartbeat_at > silent_since


def test_a_running_import_keeps_its_heartbeat_fresh_between_batches(
    transactional_db, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Made here: transactional tests may run after others have flushed the seeded libraries.
    library = BranchFactory()
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    upload = upload_of(GALSWORTHY, library, status=MarcImport.Status.RUNNING, heartbeat_at=long_ago)
    monkeypatch.setattr(importer, "HEARTBEAT_SECONDS", 0.05)
    before = other_connections()
    heartbeat = importer._Heartbeat(upload.pk)

    heartbeat.start()
    beat = wait_for(
        lambda: MarcImport.objects.get(pk=upload.pk).heartbeat_at > long_ago, attempts=100
    )
    heartbeat.stop()

    assert beat
    assert not heartbeat.is_alive()
    assert other_connections() <= before  # the thread closed its own connection


# --- MARC21 added entries and the CP1251 export ---------------------------------------------------


def marc21_file(tmp_path, *people):
    record = pymarc.Record(force_utf8=True)
    record.add_field(Field(tag="001", data="added-entry-1"))
    for tag, name in people:
        record.add_field(
            Field(tag=tag, indicators=Indicators("1", " "), subfields=[Subfield("a", name)])
        )
    record.add_field(
        Field(
            tag="245",
            indicators=Indicators("0", "0"),
            subfields=[Subfield("a", "Антологія волинської поезії")],
        )
    )
    path = tmp_path / "added.mrc"
    path.write_bytes(record.as_marc())
    return path


def export_marc21(tmp_path) -> pymarc.Record:
    out = tmp_path / "export.mrc"
    call_command(
        "export_marc",
        "--format",
        "marc21",
        "--output",
        str(out),
        "--no-progress",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return next(pymarc.MARCReader(out.read_bytes(), to_unicode=True, force_utf8=True))


def test_an_added_entry_without_a_relator_stays_an_added_entry_through_export(db, tmp_path):
    import_command(marc21_file(tmp_path, ("700", "Петренко, Олена")), tmp_path=tmp_path)

    contribution = Contribution.objects.get()
    assert contribution.role == Contribution.Role.OTHER
    exported = export_marc21(tmp_path)
    assert not exported.get_fields("100")
    assert [f["a"] for f in exported.get_fields("700")] == ["Петренко, Олена"]
    assert exported["245"].indicator1 == "0"


def test_a_co_author_in_700_beside_a_100_stays_an_author_after_the_main_one(db, tmp_path):
    path = marc21_file(tmp_path, ("100", "Шевченко, Тарас"), ("700", "Петренко, Олена"))
    import_command(path, tmp_path=tmp_path)

    roles = list(Contribution.objects.order_by("position").values_list("person__name", "role"))
    assert roles == [
        ("Шевченко, Тарас", Contribution.Role.AUTHOR),
        ("Петренко, Олена", Contribution.Role.AUTHOR),
    ]
    exported = export_marc21(tmp_path)
    assert [f["a"] for f in exported.get_fields("100")] == ["Шевченко, Тарас"]
    assert [f["a"] for f in exported.get_fields("700")] == ["Петренко, Олена"]


def test_the_cp1251_export_names_the_characters_it_cannot_write(db, tmp_path):
    lossy = RecordFactory(title="Őrség — Кобзар 📚")
    RecordFactory(title="Лісова пісня")
    err = io.StringIO()

    call_command(
        "export_marc",
        "--encoding",
        "cp1251",
        "--output",
        str(tmp_path / "export.iso"),
        "--no-progress",
        stdout=io.StringIO(),
        stderr=err,
    )

    warnings = [line for line in err.getvalue().splitlines() if "записано «?»" in line]
    assert len(warnings) == 1
    assert f"Запис {lossy.pk}" in warnings[0]
    assert "«Ő» (U+0150)" in warnings[0]
    assert "(U+1F4DA)" in warnings[0]
    assert "Записів із символами, яких немає в CP1251: 1" in err.getvalue()


# --- stopping the import stops its workers --------------------------------------------------------


def big_marc21_file(path: Path, count: int) -> None:
    """`count` small MARC21 records, each with its own 001 and title (same length each)."""
    record = pymarc.Record(force_utf8=True)
    record.add_field(Field(tag="001", data="kill000000"))
    record.add_field(
        Field(
            tag="245",
            indicators=Indicators("0", "0"),
            subfields=[Subfield("a", "Книга № 000000")],
        )
    )
    template = record.as_marc()
    with path.open("wb") as fh:
        for n in range(count):
            number = f"{n:06d}".encode()
            fh.write(template.replace(b"000000", number))


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def other_connections() -> int:
    """Connections to the test database besides ours: other tests' threads (a live server, a
    worker) may hold some for a while, so tests compare with the count before they start."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_for(condition, *, attempts=600):
    import time

    for _attempt in range(attempts):
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_killing_the_import_stops_its_workers_and_their_connections(
    transactional_db, tmp_path, how
):
    """SIGTERM: the command stops its workers and exits with 143. SIGKILL cannot be caught:
    the kernel sends each worker SIGTERM as the parent dies (PR_SET_PDEATHSIG). Either way a
    batch in progress is rolled back by PostgreSQL and no worker goes on committing."""
    source = tmp_path / "big.mrc"
    big_marc21_file(source, 60_000)
    before = other_connections()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_marc", str(source), "--workers", "2"]
        + ["--batch-size", "200", "--no-progress", "--report", str(tmp_path / "r.csv")],
        cwd=settings.BASE_DIR,
        env=dict(os.environ, DATABASE_URL=database_url_for_worker()),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers = []
    try:
        assert wait_for(lambda: Record.objects.exists()), "the import never started"
        workers = children_of(process.pid)
        assert workers
        process.send_signal(how)
        process.wait(timeout=60)
        stopped = wait_for(lambda: not any(is_running(pid) for pid in workers))
        disconnected = wait_for(lambda: other_connections() <= before)
    finally:
        # Should the test fail, it leaves no process behind to hold the test database.
        for pid in [process.pid, *workers]:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait()

    assert process.returncode == (143 if how == signal.SIGTERM else -signal.SIGKILL)
    if how == signal.SIGTERM:
        assert "Імпорт перервано" in process.stderr.read().decode()
    assert stopped, "a worker outlived the importing process"
    assert disconnected, "a worker still holds a database connection"
    assert Record.objects.count() < 60_000
