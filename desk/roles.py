"""Roles: the `editors` and `reviewers` groups and what each may do."""

EDITORS_GROUP = "editors"
# Reviewers approve corrections and retractions before they publish (drafts.services).
REVIEWERS_GROUP = "reviewers"


def editor_permissions() -> list[tuple[str, str]]:
    """(app label, codename) of what an editor may do, read from the registry.

    Editors add and change versioned items (changing includes retracting and
    restoring, which are new versions) and read the revision log; nothing may
    be deleted through the product.
    """
    from record.models import Revision
    from record.registry import versioned_models

    wanted = [(Revision._meta.app_label, "view_revision"),
              *(("drafts", f"{action}_draft") for action in ("add", "change", "view"))]
    for model in versioned_models():
        wanted += [(model._meta.app_label, f"{action}_{model._meta.model_name}")
                   for action in ("add", "change", "view")]
    return wanted


def reviewer_permissions() -> list[tuple[str, str]]:
    """(app label, codename) of what a reviewer may do besides an editor's work: review drafts."""
    return [("drafts", "review_draft"), ("drafts", "view_draft"), ("drafts", "change_draft")]


def sync_editors_group(apps, *, permissions: list[tuple[str, str]],
                       group_name: str = EDITORS_GROUP) -> None:
    """Create or update the editors group (or `group_name`) with exactly `permissions`.

    A migration passes the list written out in itself, so a later change to the
    registry does not change what an old migration did.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Migration-state app configs have no models_module; permissions are
        # only created for configs that have one, so lend it for the call.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    wanted = []
    for app_label, codename in permissions:
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(wanted)
