"""Demo readers the desk can work with: some pre-registered online (waiting for «Документ
перевірено»), some registered at the desk, a child with a guardian, one who left. Usernames
start with `demo-reader-`; running the seed again adds nothing already there."""

from django.utils import timezone

from accounts.models import ReaderProfile, User
from accounts.services import reader_register
from branches.models import Branch

PREFIX = "demo-reader-"
# (first name, last name, birth year offset from this year, status, guardian)
READERS = [
    ("Олена", "Мельник", 34, ReaderProfile.Status.PRE_REGISTERED, ""),
    ("Андрій", "Ткачук", 19, ReaderProfile.Status.PRE_REGISTERED, ""),
    ("Софія", "Романюк", 10, ReaderProfile.Status.PRE_REGISTERED, "Ірина Романюк"),
    ("Микола", "Поліщук", 67, ReaderProfile.Status.ACTIVE, ""),
    ("Дарина", "Савчук", 27, ReaderProfile.Status.ACTIVE, ""),
    ("Богдан", "Кравчук", 45, ReaderProfile.Status.LEFT, ""),
]


def seed(*, rng, counts=None, stdout=None) -> int:
    if User.objects.filter(username__startswith=PREFIX).exists():
        if stdout:
            stdout.write("accounts: demo readers already there, none added")
        return 0
    branches = list(Branch.objects.public().order_by("pk"))
    if not branches:
        raise RuntimeError("No libraries: run the migrations before seed_demo.")
    home = Branch.objects.filter(slug="branch-5").first() or branches[0]
    year = timezone.localdate().year
    today = timezone.localdate()
    made = 0
    for index, (first, last, age, status, guardian) in enumerate(READERS):
        user = User(
            username=f"{PREFIX}{index + 1}",
            first_name=first,
            last_name=last,
            email=f"{PREFIX}{index + 1}@example.org",
        )
        user.set_unusable_password()
        user.save()
        profile = reader_register(
            user=user,
            home_branch=home if index % 2 == 0 else rng.choice(branches),
            birth_year=year - age,
            guardian_name=guardian,
            guardian_contact="+380670000000" if guardian else "",
        )
        if status != ReaderProfile.Status.PRE_REGISTERED:
            ReaderProfile.objects.filter(pk=profile.pk).update(
                status=status,
                document_checked_on=today,
                reregistered_on=today,
                left_on=today if status == ReaderProfile.Status.LEFT else None,
            )
        made += 1
    if stdout:
        stdout.write(f"accounts: {made} demo readers made")
    return made
