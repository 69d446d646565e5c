"""What a draft's writer can get wrong: bad input (400) and a state that forbids the step (409)."""

from record.errors import TrackerError


class DraftInvalid(TrackerError):
    """The request itself is wrong (an unknown field, a time in the past, no comment)."""


class DraftConflict(TrackerError):
    """The draft's state forbids this step now (published already, not approved, ...)."""


class DraftForbidden(TrackerError):
    """The user may not take this step (approving one's own draft, approving without the role)."""
