"""One shape for every status workflow (events, volunteers, e-services, the plan, copies).

A workflow model has a `Status` (TextChoices), a `status` field and `TRANSITIONS`, the one
table of allowed moves {status: {statuses it may move to}}. Services ask the model
(`can_transition_to`, `transition_check`) before they change anything, so the rule lives in
one place and reads the same in every app.
"""

from django.core.exceptions import ValidationError


class Workflow:
    """Mixin for a model with `Status`, `status` and `TRANSITIONS`.

    `TRANSITION_REFUSAL` is the message (a lazy translation) shown when a move is not allowed;
    it may name the two states as %(old)s and %(new)s (or %(current)s/%(from)s and %(to)s).
    """

    TRANSITIONS: dict = {}
    TRANSITION_REFUSAL = ""

    def allowed_transitions(self) -> set:
        return set(self.TRANSITIONS[self.Status(self.status)])

    def can_transition_to(self, status) -> bool:
        return status in self.allowed_transitions()

    def transition_check(self, status) -> None:
        """Raise ValidationError (code «invalid_transition») unless the move is allowed."""
        if self.can_transition_to(status):
            return
        old, new = self.Status(self.status).label, self.Status(status).label
        names = {"old": old, "current": old, "from": old, "new": new, "to": new}
        raise ValidationError(str(self.TRANSITION_REFUSAL) % names, code="invalid_transition")
