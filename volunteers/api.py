"""Read-only API of the app; `register()` is called by lutsk_cbs/api.py."""


def register(router):
    pass
