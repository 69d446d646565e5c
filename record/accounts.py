"""Accounts the record names: authors are named in the log by username."""

from __future__ import annotations

from django.contrib.auth import get_user_model


def account_named(username: str):
    """The account of `username`, made without a usable password if it is missing.

    The log names authors; accounts themselves are not part of it. An admin can
    set a password later.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(**{user_model.USERNAME_FIELD: username})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
