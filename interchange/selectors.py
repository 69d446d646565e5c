"""Reads behind data in and out: a story's imported events, their coded figures, rows to export."""

from __future__ import annotations

from collections import defaultdict

from claims.models import Claim
from events.models import Development, Story


def _sets(model, through_field: str, ids: list[int], field: str) -> dict[int, list[int]]:
    through = getattr(model, field).through
    target = model._meta.get_field(field).m2m_reverse_field_name() + "_id"
    found: dict[int, list[int]] = defaultdict(list)
    for item_id, target_id in through.objects.filter(**{f"{through_field}_id__in": ids}).values_list(
            f"{through_field}_id", target):
        found[item_id].append(target_id)
    return found


def story_events(story: Story) -> dict[str, tuple[Development, dict[str, list[int]]]]:
    """The story's imported developments by external id, each with its actor and source ids (3 queries)."""
    developments = list(Development.objects.filter(story=story).exclude(external_id=""))
    ids = [d.pk for d in developments]
    actors = _sets(Development, "development", ids, "actors")
    sources = _sets(Development, "development", ids, "sources")
    return {d.external_id: (d, {"actors": sorted(actors.get(d.pk, [])),
                                "sources": sorted(sources.get(d.pk, []))})
            for d in developments}


def coded_figures(story: Story, coder_name: str) -> dict[int, Claim]:
    """Development id -> the coding organisation's figure claim about it (its source ids attached)."""
    claims = list(Claim.objects.filter(development__story=story, actor__name=coder_name,
                                       claim_type=Claim.Type.FIGURE).order_by("id"))
    sources = _sets(Claim, "claim", [c.pk for c in claims], "sources")
    found: dict[int, Claim] = {}
    for claim in claims:
        claim.source_ids = sorted(sources.get(claim.pk, []))
        found.setdefault(claim.development_id, claim)
    return found


def export_developments(story: Story) -> list[Development]:
    """The story's developments in timeline order, for an export (retracted ones are deleted there)."""
    return list(Development.objects.filter(story=story).exclude(status=Development.Status.RETRACTED)
                .order_by("occurred_at", "id"))
