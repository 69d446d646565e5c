"""App config of the editors' desk: keeps the `editors` and `reviewers` groups in step."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_editors_group(sender, apps=None, **kwargs) -> None:
    # A migration creates the group; this puts it back after a test flush
    # (TransactionTestCase empties every table, then emits post_migrate).
    from django.apps import apps as global_apps

    from .roles import REVIEWERS_GROUP, editor_permissions, reviewer_permissions, sync_editors_group

    sync_editors_group(apps or global_apps, permissions=editor_permissions())
    sync_editors_group(apps or global_apps, permissions=reviewer_permissions(),
                       group_name=REVIEWERS_GROUP)


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Editors' desk"

    def ready(self) -> None:
        from django.apps import apps

        # post_migrate is sent only for apps with models; the desk has none, so it
        # listens for the record core's (after a migrate and after a test flush).
        post_migrate.connect(_ensure_editors_group, sender=apps.get_app_config("record"),
                             dispatch_uid="desk.editors_group")
