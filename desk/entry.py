"""Fast entry of a development: which story the form opens on."""

from __future__ import annotations

from claims.models import Claim
from events.models import Development, Story
from record.selectors import versions_written_by


def story_to_preselect(user) -> Story | None:
    """The story of the last development `user` wrote, else the only developing story, else None."""
    last = (versions_written_by(Development, revision__author=user)
            .order_by("-revision_id").values_list("story_id", flat=True).first())
    if last is not None:
        story = Story.objects.filter(pk=last, status=Story.Status.DEVELOPING).first()
        if story is not None:
            return story
    developing = list(Story.objects.filter(status=Story.Status.DEVELOPING)[:2])
    return developing[0] if len(developing) == 1 else None


def implied_qualifier(low, best, high) -> str:
    """The qualifier the numbers imply: one number is exact, a floor "at least", a ceiling "at most",
    a range "about"; "" when there is no number."""
    if low is not None and high is not None:
        return Claim.Qualifier.APPROXIMATELY
    if low is not None:
        return Claim.Qualifier.AT_LEAST
    if high is not None:
        return Claim.Qualifier.AT_MOST
    return Claim.Qualifier.EXACT if best is not None else ""


class FigureDefaults:
    """A claim form mixin: a figure left without a qualifier gets the one its numbers imply."""

    def clean(self):
        cleaned = super().clean()
        if "figure_qualifier" in cleaned and not cleaned.get("figure_qualifier"):
            cleaned["figure_qualifier"] = implied_qualifier(
                cleaned.get("figure_low"), cleaned.get("figure_best"), cleaned.get("figure_high"))
        return cleaned
