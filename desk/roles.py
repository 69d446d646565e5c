"""Roles: the `editors` group and what it may do."""

EDITORS_GROUP = "editors"



def editor_permissions() -> list[tuple[str, str]]:
    """(app label, codename) of what an editor may do, read from the registry.

    Editors add and change versioned items (changing includes retracting and
    restoring, which are new versions) and read the revision log; nothing may
    be deleted through the product.
    """
    from record.models import Revision
    from record.registry import versioned_models

    wanted = [(Revision._meta.app_label, "view_revision")]
    for model in versioned_models():
        wanted += [(model._meta.app_label, f"{action}_{model._meta.model_name}")
                   for action in ("add", "change", "view")]
    return wanted


def sync_editors_group(apps, *, permissions: list[tuple[str, str]]) -> None:
    """Create or update the editors group with exactly `permissions`.

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
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = []
    for app_label, codename in permissions:
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(wanted)
