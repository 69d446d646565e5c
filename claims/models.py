"""Who said what about a development: claims, each attributed to an actor and its sources."""

import re

from django.core.exceptions import ValidationError
from django.db import models

from events.models import Actor, Development, Source
from record.models import Versioned, versioned_history

NEWSROOM = "the newsroom"


def language_tag_validator(value: str) -> None:
    """A well-formed, known BCP 47 tag: 'hy', 'az-Latn', 'ru'; not 'en_US' or 'xx-zz'."""
    import langcodes  # its registry data is large: loaded on first use

    if value and not (re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", value)
                      and langcodes.tag_is_valid(value)):
        raise ValidationError(f"“{value}” is not a BCP 47 language tag (e.g. 'hy', 'az', 'ru').")


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
    quote = models.TextField(blank=True, help_text="Verbatim words in English, exactly as reported "
                             "(the translation, when they were said in another language).")
    # --- Original-language quote and uncertain figure (issue 19) ---
    quote_original = models.TextField(blank=True, help_text="The words as they were said.")
    quote_language = models.CharField(
        max_length=35, blank=True, validators=[language_tag_validator],
        help_text="BCP 47 tag of the original, e.g. 'az', 'hy', 'ru'.")
    quote_translator = models.CharField(
        max_length=200, blank=True, help_text=f"Who translated it: a named outlet, or '{NEWSROOM}'.")
    figure_unit = models.CharField(max_length=60, blank=True, help_text="e.g. 'deaths', 'displaced'.")
    figure_group = models.CharField(max_length=60, blank=True, help_text="e.g. 'civilians', 'children'.")
    figure_low = models.PositiveBigIntegerField(null=True, blank=True)
    figure_best = models.PositiveBigIntegerField(null=True, blank=True)
    figure_high = models.PositiveBigIntegerField(null=True, blank=True)
    figure_qualifier = models.CharField(
        max_length=16, choices=Qualifier.choices, blank=True, help_text="As reported: 'at least 200' "
        "is at least, low 200.")
    figure_note = models.TextField(
        blank=True, help_text="How words became numbers, e.g. 'dozens' coded as 12.")
    # --- end quote and figure
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
    belongs_to = "development"

    FIXED_FIELDS = ("development",)  # a claim never moves to another development

    class Meta:
        ordering = ["made_on", "id"]
        constraints = [models.CheckConstraint(name="claim_figure_bounds_ordered", condition=(
            (models.Q(figure_low__isnull=True) | models.Q(figure_best__isnull=True)
             | models.Q(figure_low__lte=models.F("figure_best")))
            & (models.Q(figure_best__isnull=True) | models.Q(figure_high__isnull=True)
               | models.Q(figure_best__lte=models.F("figure_high")))
            & (models.Q(figure_low__isnull=True) | models.Q(figure_high__isnull=True)
               | models.Q(figure_low__lte=models.F("figure_high")))))]

    def __str__(self) -> str:
        return self.paraphrase[:80]

    def revision_story(self):
        return self.development.story

    @property
    def has_figure(self) -> bool:
        return has_figure(self)

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
        elif (self.figure_unit.strip() or self.figure_group.strip()) and not self.has_figure:
            errors["figure_best"] = "A unit needs a figure: give the number, or mark it as unspecified."
        if self.has_figure:
            errors.update(figure_errors(self))
        errors.update(quote_errors(self))
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


# --- figures and quotes: rules shared by claims and their history rows (issue 19) ---

def has_figure(claim) -> bool:
    return bool(claim.figure_qualifier) or any(
        value is not None for value in (claim.figure_low, claim.figure_best, claim.figure_high))


# A figure in words is part of what a claim says, not only how a page shows it: the ACLED
# import writes it into a coded claim's paraphrase and contested figures compare it. So it
# stays with the claim; the reader layer (reader.text) reads it from here.

def figure_range(claim) -> tuple[int | None, int | None]:
    """The span a figure claims, (low, high) with None for an open end; (None, None) for none."""
    low = claim.figure_low if claim.figure_low is not None else claim.figure_best
    high = claim.figure_high if claim.figure_high is not None else claim.figure_best
    if claim.figure_qualifier == Claim.Qualifier.AT_LEAST:
        high = claim.figure_high
    if claim.figure_qualifier == Claim.Qualifier.AT_MOST:
        low = claim.figure_low
    return low, high


def _figure_numbers(claim) -> str:
    low, best, high = claim.figure_low, claim.figure_best, claim.figure_high
    q = claim.figure_qualifier
    if q == Claim.Qualifier.AT_LEAST:
        return f"at least {low:,}" + (f" (best estimate {best:,})" if best not in (None, low) else "")
    if q == Claim.Qualifier.AT_MOST:
        return f"at most {high:,}" + (f" (best estimate {best:,})" if best not in (None, high) else "")
    words = "about " if q == Claim.Qualifier.APPROXIMATELY else ""
    if best is not None and low is not None and high is not None and low != high:
        return f"{words}{best:,} ({low:,}–{high:,})"
    if best is not None:
        return f"{words}{best:,}"
    return f"{words}{low:,}–{high:,}"


def figure_text(claim) -> str:
    """'at least 200 deaths', 'about 120 (100–150) deaths of civilians', 'deaths: not given'.

    Works on claims and their history rows (and any object with a claim's figure
    attributes); the qualifier is the one reported.
    """
    if not has_figure(claim):
        return ""
    unit = claim.figure_unit + (f" of {claim.figure_group}" if claim.figure_group else "")
    if claim.figure_qualifier == Claim.Qualifier.UNSPECIFIED or all(
            value is None for value in (claim.figure_low, claim.figure_best, claim.figure_high)):
        return f"{unit}: not given"
    return f"{_figure_numbers(claim)} {unit}"


def figure_errors(claim) -> dict[str, str]:
    """What is wrong with a claim's figure: bounds in order, a unit, a qualifier the bounds agree with."""
    low, best, high, q = claim.figure_low, claim.figure_best, claim.figure_high, claim.figure_qualifier
    errors: dict[str, str] = {}
    if not claim.figure_unit.strip():
        errors["figure_unit"] = "A figure needs a unit (e.g. 'deaths')."
    given = [(name, value) for name, value in (("low", low), ("best", best), ("high", high))
             if value is not None]
    for (name_a, a), (name_b, b) in zip(given, given[1:], strict=False):
        if a > b:
            errors[f"figure_{name_b}"] = f"The {name_a} figure ({a:,}) is above the {name_b} one ({b:,})."
            return errors
    Q = Claim.Qualifier
    if not q:
        errors["figure_qualifier"] = "Say how exact the figure is (exactly, at least, ...)."
    elif q == Q.UNSPECIFIED and given:
        errors["figure_best"] = "An unspecified figure has no number."
    elif q == Q.EXACT and (best is None or {low, high} - {None, best}):
        errors["figure_best"] = ("An exact figure is one number: give it as best "
                                 "(low and high equal to it or empty).")
    elif q == Q.AT_LEAST and (low is None or high is not None):
        errors["figure_low"] = "“At least” gives a low figure and no high one."
    elif q == Q.AT_MOST and (high is None or low is not None):
        errors["figure_high"] = "“At most” gives a high figure and no low one."
    elif q == Q.APPROXIMATELY and best is None and (low is None or high is None):
        errors["figure_best"] = "“About” needs a best figure, or both a low and a high one."
    return errors


def quote_errors(claim) -> dict[str, str]:
    """An original quote needs its language; a quote not in English needs its translation and translator."""
    errors: dict[str, str] = {}
    original, language = claim.quote_original.strip(), claim.quote_language.strip()
    if original and not language:
        errors["quote_language"] = "Say which language the original words are in (a BCP 47 tag, e.g. 'hy')."
    elif language and not original:
        errors["quote_original"] = "A language needs the original words it names."
    elif original and not language.lower().startswith("en"):
        if not claim.quote.strip():
            errors["quote"] = "Give the English translation beside the original words."
        if not claim.quote_translator.strip():
            errors["quote_translator"] = f"Say who translated the quote: a named outlet, or '{NEWSROOM}'."
    if (claim.quote_translator.strip() and not original):
        errors["quote_translator"] = "A translator needs the original words."
    return errors
