"""Roles: the `editors` group and what it may do."""

EDITORS_GROUP = "editors"

# Editors add and change versioned items (changing includes retracting and
# restoring, which are new versions); nothing may be deleted through the product.
EDITOR_PERMISSIONS = {
    "events": {
        "story": ["add", "change", "view"],
        "development": ["add", "change", "view"],
        "revision": ["view"],
    },
    "claims": {
        "claim": ["add", "change", "view"],
        "actor": ["add", "change", "view"],
        "source": ["add", "change", "view"],
    },
}


def sync_editors_group(apps, schema_editor=None) -> None:
    """Create or update the editors group with exactly EDITOR_PERMISSIONS."""
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
    for app_label, models in EDITOR_PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ))
    group.permissions.set(wanted)
