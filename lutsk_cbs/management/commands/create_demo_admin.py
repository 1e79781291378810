import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import StaffProfile
from accounts.roles import BRANCH_HEAD, LIBRARIAN, METHODOLOGIST
from branches.models import Branch
from circulation import demo as circulation_demo

USERNAME = "admin"
# The library whose head and librarian a reviewer can sign in as: a branch the demo data fills.
DEMO_BRANCH = "branch-5"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    description: str
    role: str = ""
    group: str = ""
    branch_slug: str | None = None
    superuser: bool = False
    # A reader (no admin access) who signs in at /accounts/login/ with the card number.
    reader: bool = False


ACCOUNTS = [
    DemoAccount(USERNAME, "superuser", superuser=True),
    DemoAccount(
        "methodologist",
        "methodologist of the whole network (plan dashboards, reports)",
        role=StaffProfile.Role.METHODOLOGIST,
        group=METHODOLOGIST,
    ),
    DemoAccount(
        "head-branch-5",
        "head of Бібліотека-філія № 5 (sees that library only)",
        role=StaffProfile.Role.BRANCH_HEAD,
        group=BRANCH_HEAD,
        branch_slug=DEMO_BRANCH,
    ),
    DemoAccount(
        "librarian-branch-5",
        "librarian of Бібліотека-філія № 5",
        role=StaffProfile.Role.LIBRARIAN,
        group=LIBRARIAN,
        branch_slug=DEMO_BRANCH,
    ),
    DemoAccount(
        "reader-branch-5",
        "reader of Бібліотека-філія № 5; signs in at /accounts/login/ with the card number",
        branch_slug=DEMO_BRANCH,
        reader=True,
    ),
]


def password_file(username):
    return settings.VAR_DIR / f"{username}-password.txt"


class Command(BaseCommand):
    help = (
        "Create the local superuser `admin` and demo staff accounts (a methodologist, a branch "
        "head and a librarian of one branch) with random passwords (once), kept in "
        "var/<user>-password.txt, and print the credentials. For development machines only; "
        "refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say what would happen")

    def handle(self, *args, dry_run, **options):
        if not settings.DEBUG:
            raise CommandError("create_demo_admin is for local development (DEBUG=true) only.")
        lines = []
        for account in ACCOUNTS:
            line = self._ensure(account, dry_run=dry_run)
            if line:
                lines.append(line)
        if dry_run:
            return
        self.stdout.write(self.style.SUCCESS("Sign in at http://127.0.0.1:8000/admin/ as:"))
        for line in lines:
            self.stdout.write(self.style.SUCCESS(line))

    @transaction.atomic
    def _ensure(self, account, *, dry_run):
        User = get_user_model()
        credentials = password_file(account.username)
        user = User.objects.filter(username=account.username).first()
        branch = None
        if account.branch_slug:
            branch = Branch.objects.filter(slug=account.branch_slug).first()
            if branch is None:
                self.stderr.write(
                    f"No library {account.branch_slug!r}: {account.username!r} not created."
                )
                return None
        stored = credentials.read_text().strip() if credentials.exists() else None
        # The file may belong to another database (a reset one, or another checkout's): print
        # only a password that signs in here, else give the account a new one.
        if user and stored and user.check_password(stored):
            password = stored
        elif dry_run:
            self.stdout.write(f"Would create or reset the user {account.username!r}.")
            return None
        else:
            password = secrets.token_urlsafe(12)
            user = user or User(username=account.username, email=f"{account.username}@localhost")
            user.is_staff = not account.reader
            user.is_superuser = account.superuser
            user.set_password(password)
            user.save()
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(password + "\n")
            credentials.chmod(0o600)
        if not dry_run and account.role:
            # Re-applied on every run so that a demo account edited by hand works again.
            StaffProfile.objects.update_or_create(
                user=user, defaults={"role": account.role, "branch": branch}
            )
            user.groups.add(Group.objects.get_or_create(name=account.group)[0])
        if not dry_run and account.reader:
            account_login = self._reader_card(user, branch)
            return (
                f"  card: {account_login:<19} password: {password}  "
                f"({account.description}; kept in var/{credentials.name})"
            )
        return (
            f"  user: {account.username:<19} password: {password}  "
            f"({account.description}; kept in var/{credentials.name})"
        )

    def _reader_card(self, user, branch):
        """The demo reader's card (active, document checked) and verified e-mail; returns the
        card number to sign in with."""
        from allauth.account.models import EmailAddress

        from accounts.models import ReaderProfile
        from accounts.services import reader_register

        profile = ReaderProfile.objects.filter(user=user).first() or reader_register(
            user=user, home_branch=branch, birth_year=1990
        )
        ReaderProfile.objects.filter(pk=profile.pk).update(status=ReaderProfile.Status.ACTIVE)
        profile.refresh_from_db()
        # Loans (one overdue, one due soon), a hold ready and one waiting, a reading history:
        # what «Мій формуляр» shows, there at the first sign-in (added once).
        circulation_demo.seed_reader(profile)
        if user.email:
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        return profile.card_number
