from rest_framework import exceptions, viewsets


class ReadOnlyModelViewSet(viewsets.ReadOnlyModelViewSet):
    """The base of every app's API viewset."""

    # Any text up to the next slash reaches the view, which answers 404 in JSON; DRF's default
    # stops at a dot (for format suffixes, which we do not use) and left "/events/1.5/" to
    # Django's HTML page.
    lookup_value_regex = "[^/]+"

    def get_object(self):
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if "\x00" in str(lookup):
            # PostgreSQL cannot even compare a text with a NUL in it: no object has that name.
            raise exceptions.NotFound()
        return super().get_object()
