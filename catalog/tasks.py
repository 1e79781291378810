from celery import shared_task


@shared_task(acks_late=True)
def marc_import_task(upload_id: int) -> str:
    """Import an admin upload (catalog.models.MarcImport); progress is kept on the upload."""
    from catalog.marc.importer import marc_upload_run

    return marc_upload_run(upload_id=upload_id)


@shared_task(ignore_result=True)
def search_log_flush_task() -> int:
    """Write the searches of the last minute to the search log (catalog.search.log)."""
    from catalog.search.log import search_log_flush

    return search_log_flush()
