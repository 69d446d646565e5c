"""Who said what about a development: claims, each attributed to an actor and its sources."""

from django.core.exceptions import ValidationError
from django.db import models

from events.models import Actor, Development, Source
from record.models import Versioned, versioned_history


class Claim(Versioned):
    """A statement by an actor about a development, as reported by sources."""

    class Type(models.TextChoices):
        STATEMENT = "statement", "Statement"
        ALLEGATION = "allegation", "Allegation"
        DENIAL = "denial", "Denial"
        FIGURE = "figure", "Figure"
        DEMAND = "demand", "Demand"
        ASSESSMENT = "assessment", "Assessment"

    class Qualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        AT_LEAST = "at_least", "at least"
        AT_MOST = "at_most", "at most"
        APPROXIMATELY = "approximately", "about"
        UNSPECIFIED = "unspecified", "unspecified"

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        DISPUTED = "disputed", "Disputed"
        CONFIRMED = "confirmed", "Confirmed"
        REFUTED = "refuted", "Refuted"

    class Relation(models.TextChoices):
        DENIES = "denies", "denies"
        DISPUTES = "disputes", "disputes"
        SUPPORTS = "supports", "supports"

    development = models.ForeignKey(
        Development, on_delete=models.PROTECT, related_name="claims"
    )
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="claims")
    made_on = models.DateField(help_text="When the actor made the claim.")
    claim_type = models.CharField(max_length=16, choices=Type.choices, default=Type.STATEMENT)
    paraphrase = models.TextField(help_text="The claim in the tracker's own words.")
    quote = models.TextField(blank=True, help_text="Verbatim words, exactly as reported.")
    figure_value = models.PositiveBigIntegerField(null=True, blank=True)
    figure_qualifier = models.CharField(max_length=16, choices=Qualifier.choices, blank=True)
    figure_unit = models.CharField(max_length=60, blank=True, help_text="e.g. 'deaths'.")
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verification_note = models.TextField(blank=True)
    responds_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    response_relation = models.CharField(max_length=16, choices=Relation.choices, blank=True)
    retracted = models.BooleanField(default=False)
    retraction_reason = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="claims")

    history = versioned_history(m2m_fields=["sources"])

    FIXED_FIELDS = ("development",)  # a claim never moves to another development

    class Meta:
        ordering = ["made_on", "id"]

    def __str__(self) -> str:
        return self.paraphrase[:80]

    def revision_story(self):
        return self.development.story

    @property
    def has_figure(self) -> bool:
        return bool(self.figure_qualifier or self.figure_value is not None)

    def figure_display(self) -> str:
        return figure_text(self)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.quote.strip() and not self.actor_id:
            errors["actor"] = "A verbatim quote needs its speaker: choose the actor who said it."
        if self.claim_type == self.Type.FIGURE and not self.has_figure:
            errors["figure_qualifier"] = (
                "A figure claim needs a figure: give the number, or mark it as unspecified."
            )
        elif self.figure_unit.strip() and not self.has_figure:
            errors["figure_value"] = "A unit needs a figure: give the number, or mark it as unspecified."
        if self.has_figure:
            if not self.figure_unit.strip():
                errors["figure_unit"] = "A figure needs a unit (e.g. 'deaths')."
            if not self.figure_qualifier:
                errors["figure_qualifier"] = "Say how exact the figure is (exactly, at least, ...)."
            elif self.figure_qualifier != self.Qualifier.UNSPECIFIED and self.figure_value is None:
                errors["figure_value"] = "Give the number, or mark the figure as unspecified."
            elif self.figure_qualifier == self.Qualifier.UNSPECIFIED and self.figure_value is not None:
                errors["figure_value"] = "An unspecified figure has no number."
        if self.responds_to_id:
            if not self.response_relation:
                errors["response_relation"] = "Say whether this claim denies, disputes or supports it."
            if self.pk and self.responds_to_id == self.pk:
                errors["responds_to"] = "A claim cannot respond to itself."
            elif self.development_id and self._responds_across_stories():
                errors["responds_to"] = "A claim can only respond to a claim in the same story."
        elif self.response_relation:
            errors["responds_to"] = "Choose the claim this one responds to."
        if self.retracted and not self.retraction_reason.strip():
            errors["retraction_reason"] = "A retraction needs a reason."
        if errors:
            raise ValidationError(errors)

    def _responds_across_stories(self) -> bool:
        # Two primary-key probes: an OR across a join would scan both tables.
        own_story = Development.objects.filter(pk=self.development_id).values("story_id")
        return not Claim.objects.filter(
            pk=self.responds_to_id, development__story_id__in=own_story
        ).exists()


def figure_text(claim) -> str:
    """'at least 200 deaths', 'deaths: not given'; works on claims and their history rows."""
    if not (claim.figure_qualifier or claim.figure_value is not None):
        return ""
    if claim.figure_qualifier == Claim.Qualifier.UNSPECIFIED or claim.figure_value is None:
        return f"{claim.figure_unit}: not given"
    qualifier = Claim.Qualifier(claim.figure_qualifier)
    prefix = "" if qualifier == Claim.Qualifier.EXACT else f"{qualifier.label} "
    return f"{prefix}{claim.figure_value:,} {claim.figure_unit}"
