import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Create the local superuser `admin` with a random password (once) and print the "
        "credentials. For development machines only; refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say what would happen")

    def handle(self, *args, dry_run, **options):
        if not settings.DEBUG:
            raise CommandError("create_demo_admin is for local development (DEBUG=true) only.")
        credentials = settings.VAR_DIR / "admin-password.txt"
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        if user and credentials.exists():
            password = credentials.read_text().strip()
        elif dry_run:
            self.stdout.write(f"Would create or reset the superuser {USERNAME!r}.")
            return
        else:
            password = secrets.token_urlsafe(12)
            user = user or User(username=USERNAME, email="admin@localhost")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(password + "\n")
            credentials.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://127.0.0.1:8000/admin/  user: {USERNAME}  password: {password}"
            )
        )
