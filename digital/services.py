"""What staff do to digitised documents: store a page's scan with its web sizes, remove a page,
publish and withdraw a document (logged, core.audit)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from digital.images import image_check, image_process
from digital.models import DigitalDocument, DigitalPage

FILE_FIELDS = ("image", "large", "medium", "thumb")


def _files_of(page) -> list[tuple]:
    return [(getattr(page, field).storage, getattr(page, field).name) for field in FILE_FIELDS]


def _delete_files_after_commit(files) -> None:
    def delete():
        for storage, name in files:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def digital_page_save(*, page: DigitalPage, upload=None, acting_user=None) -> DigitalPage:
    """Save `page`; with `upload` (a new scan), replace its image: the GPS position removed,
    the web sizes made (digital.images), the previous files deleted once saved."""
    if upload is not None:
        image_check(upload)
        processed = image_process(upload)
        old_files = []
        if page.pk:
            previous = DigitalPage.objects.filter(pk=page.pk).first()
            if previous is not None:
                old_files = _files_of(previous)
        name, content = processed.full
        page.image.save(name, ContentFile(content), save=False)
        for field, (name, content) in processed.sizes.items():
            getattr(page, field).save(name, ContentFile(content), save=False)
        page.width, page.height = processed.width, processed.height
        page.save()
        _delete_files_after_commit(old_files)
    else:
        page.save()
    return page


@transaction.atomic
def digital_page_delete(*, page: DigitalPage, acting_user=None) -> None:
    files = _files_of(page)
    page.delete()
    _delete_files_after_commit(files)


@transaction.atomic
def digital_document_publish(
    *, document: DigitalDocument, publish: bool, acting_user
) -> DigitalDocument:
    """Show the document to readers (or withdraw it). A document without pages has nothing to
    show and stays unpublished."""
    document = DigitalDocument.objects.select_for_update().get(pk=document.pk)
    if document.is_published == publish:
        raise ValidationError(
            _("Документ уже опубліковано.") if publish else _("Документ і так не опубліковано.")
        )
    if publish and not document.pages.exists():
        raise ValidationError(_("Документ без сторінок не можна опублікувати."))
    document.is_published = publish
    document.save(update_fields=["is_published", "updated_at"])
    audit_log(
        user=acting_user,
        obj=document,
        message=_("Опубліковано") if publish else _("Знято з публікації"),
    )
    return document
