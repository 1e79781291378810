"""Sign-in by library card number, and the name django-axes counts failed sign-ins under."""

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


def card_number_clean(value) -> str:
    """A card number as typed or scanned: spaces and dashes between digits are dropped."""
    if not isinstance(value, str):
        return ""
    digits = value.replace(" ", "").replace("-", "")
    return digits if len(digits) == 10 and digits.isdigit() else ""


class CardNumberBackend(ModelBackend):
    """`authenticate(username="0000000018", password=…)`: the reader holding that card.
    Anything else is left to the other backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        card = card_number_clean(username)
        if not card or password is None:
            return None
        user = User.objects.filter(reader_profile__card_number=card).first()
        if user is None:
            # Same work as a real check, so timing does not tell which cards exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials):
    """What a sign-in attempt is counted under: the admin's «username», allauth's «login»
    (e-mail or card number), or what allauth passed to authenticate()."""
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    data = getattr(request, "POST", None) or {}
    for key in ("username", "login"):
        value = data.get(key)
        if value:
            return str(value).strip().lower()
    return None
