from celery import shared_task


@shared_task(acks_late=True)
def marc_import_task(upload_id: int) -> str:
    """Import an admin upload (catalog.models.MarcImport); progress is kept on the upload."""
    from catalog.marc.importer import marc_upload_run

    return marc_upload_run(upload_id=upload_id)


@shared_task(acks_late=True, ignore_result=True)
def search_log_write_task(*, query: str, normalized: str, filters: dict, hits: int) -> None:
    """One row of the search log, written by a worker instead of the reader's request."""
    from catalog.search.log import search_log_write

    search_log_write(query=query, normalized=normalized, filters=filters, hits=hits)
