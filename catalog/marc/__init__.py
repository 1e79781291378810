"""MARC (UNIMARC and MARC21, ISO 2709 and MARCXML) in and out of the catalogue.

`mapping` MARC fields ↔ catalogue values; `reader` files → records; `importer` the streaming
import with its report; `bulk` the import's fast writes; `writer` catalogue → MARC files;
`admin` uploads from the Django admin.
"""
