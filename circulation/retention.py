"""What lending keeps about readers, and how it is forgotten (see core.retention).

A returned loan names its reader only while the reader keeps a reading history (their
opt-in); check-in already forgets the others, and this shredder catches the rest (a reader
who turned the history off). Finished holds lose the reader after the retention period.
Open loans and active holds are the library's business with the reader and stay.
"""

from django.utils.translation import gettext_lazy as _

from circulation.services import (
    holds_anonymise,
    holds_forget_person,
    loans_anonymise,
    loans_forget_person,
)
from core import retention

retention.register(
    name="circulation.loans",
    label=_("повернені видачі без згоди на історію читання"),
    anonymise=loans_anonymise,
    forget_person=loans_forget_person,
)
retention.register(
    name="circulation.holds",
    label=_("завершені замовлення"),
    anonymise=holds_anonymise,
    forget_person=holds_forget_person,
)
