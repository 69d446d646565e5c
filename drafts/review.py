"""The review rule at every door: a correction or retraction asked to publish waits for a reviewer.

DESIGN: corrections and retractions need a reviewer other than their author
before they publish. Drafts keep that rule (drafts.services); the doors that
publish straight away (the desk's Save and Retract, the API's PATCH and
retract/) call here, so a correction or retraction they are asked to publish
becomes a draft submitted for review instead, and only an approval and a
publish make it public. `settings.REVIEW_CORRECTIONS` (on by default) turns
the rule off for those doors. Imports do not come here: ACLED's deletion list is
a data sync by the coding organisation, not an editor's correction
(docs/data-in-and-out.md), and `import_log` replays what was published already.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from record.errors import StaleVersionError
from record.models import Revision, Versioned
from record.registry import item_services

from .models import Draft
from .services import draft_create, draft_submit


def review_holds(kind: str) -> bool:
    """Whether an edit of `kind` asked to publish now is held for review instead."""
    return bool(settings.REVIEW_CORRECTIONS) and kind in Draft.REVIEWED_KINDS


def _draft(*, author, item: Versioned, submit: bool, **proposal: Any) -> Draft:
    if submit:  # asked to publish now: a stale base is refused now, as the edit itself would be
        current = type(item).objects.get(pk=item.pk)
        if proposal["base_version"] is not None and proposal["base_version"] != current.version:
            raise StaleVersionError(instance=current, base_version=proposal["base_version"])
    draft = draft_create(author=author, item_type=type(item)._meta.label_lower, item=item, **proposal)
    return draft_submit(draft=draft, user=author) if submit else draft


def edit_or_draft(
    *, author, item: Versioned, base_version: int | None, message: str, kind: str, minor: bool,
    changes: dict[str, Any], publish: bool = True,
) -> Versioned | Draft:
    """The edited item, published now; or a draft: asked for (`publish` False, saved as it is),
    or a correction under the review rule (submitted for review)."""
    held = publish and review_holds(kind)
    if publish and not held:
        services = item_services(type(item))
        return services.update(author=author, **{services.arg: item}, base_version=base_version,
                               message=message, kind=kind, minor=minor, changes=changes)
    return _draft(author=author, item=item, submit=held, base_version=base_version, message=message,
                  kind=kind, minor=minor, values=changes)


def retract_or_draft(
    *, author, item: Versioned, base_version: int | None, reason: str, publish: bool = True,
) -> Versioned | Draft:
    """The retracted item, published now; or a retraction draft (its reason is its message):
    asked for (`publish` False), or under the review rule (submitted for review)."""
    held = publish and review_holds(Revision.Kind.RETRACTION)
    if publish and not held:
        services = item_services(type(item))
        return services.retract(author=author, **{services.arg: item}, base_version=base_version,
                                reason=reason)
    return _draft(author=author, item=item, submit=held, base_version=base_version, message=reason,
                  kind=Revision.Kind.RETRACTION, values={})
