"""Domain errors raised by the services; the API and admin turn them into messages."""

from django.core.exceptions import ValidationError


class TrackerError(Exception):
    """Base of the errors an editor can cause and fix."""


class EmptyMessageError(TrackerError, ValidationError):
    def __init__(self) -> None:
        ValidationError.__init__(self, {"message": "Say what changed and why."})


class StaleVersionError(TrackerError):
    """The edit was based on a version that is no longer the current one."""

    def __init__(self, *, instance, base_version: int) -> None:
        self.instance = instance
        self.base_version = base_version
        self.current_version = instance.version
        super().__init__(
            f"{instance._meta.verbose_name} was changed by someone else: you edited version "
            f"{base_version}, the current version is {instance.version}."
        )


class NoChangeError(TrackerError, ValidationError):
    def __init__(self) -> None:
        ValidationError.__init__(self, "Nothing changed: no new version was recorded.")


class OutsideRevisionError(TrackerError):
    """A versioned row was saved without a revision: only the services may write."""


class RevisionOrderError(TrackerError):
    """A back-dated revision would land before the latest one and break the feed's order."""
