"""Reads of claims: who claims what about a development, and which figures are contested."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.text import slugify

from events.models import Source
from record.selectors import item_versions, versions_as_of

from .models import Actor, Claim, figure_text, has_figure


@dataclass
class ClaimThread:
    """A claim with the claims that answer it (a denial beside its allegation)."""

    claim: object  # Claim, or a historical Claim row in "as of" views
    responses: list = field(default_factory=list)


@dataclass
class ContestedFigure:
    unit: str
    development_id: int
    claims: list  # every figure claim about it: one per actor's version of the number
    group: str = ""  # civilians, combatants, ...: a figure of one group is compared only with its own

    @property
    def key(self) -> str:
        return figure_key(self.unit, self.group)


    @property
    def is_contested(self) -> bool:
        """Sources give different figures, or the figure itself is disputed or refuted."""
        disputed = {Claim.Verification.DISPUTED, Claim.Verification.REFUTED}
        return (
            len({figure_text(claim) for claim in self.claims}) > 1
            or any(claim.verification in disputed for claim in self.claims)
        )


def figure_key(unit: str, group: str = "") -> str:
    """A figure's name in URLs and element ids: 'deaths', 'deaths-civilians'."""
    return slugify(f"{unit} {group}".strip()) or "figure"


@dataclass(frozen=True)
class VerificationStep:
    """One change of a claim's verification status, read from its versions."""

    version: int
    verification: str
    note: str
    revision_id: int
    at: object  # datetime of the revision
    author: str
    message: str


def _claims(development_ids: Iterable[int], upto: int | None, *, sources: QuerySet | None = None):
    ids = list(development_ids)
    if upto is None:
        rows = Claim.objects.filter(development_id__in=ids)
    else:
        rows = versions_as_of(Claim, upto, development_id__in=ids)
    rows = list(rows.order_by("made_on", "id"))
    _attach_actors(rows)
    if sources is not None:
        _attach_sources(rows, upto=upto, sources=sources)
    return rows


def _attach_sources(rows: list, *, upto: int | None, sources: QuerySet) -> None:
    # The sources each claim cites (its version's set in "as of" views). In an
    # "as of" view each source is its version as known then, so its archive
    # state (archived when, changed or gone since) never comes from the future;
    # now, each is read from `sources` (the caller's queryset: pages annotate why
    # a capture failed, archive.selectors). Two queries, three in "as of" views.
    historical = upto is not None
    if historical:
        through = vars(Claim.history.model)["sources"].model
        links = through.objects.filter(history_id__in=[row.history_id for row in rows])
        owner = "history_id"
    else:
        through = Claim.sources.through
        links = through.objects.filter(claim_id__in=[row.id for row in rows])
        owner = "claim_id"
    pairs = list(links.order_by("source__outlet", "source__title", "source_id")
                 .values_list(owner, "source_id"))
    cited_ids = {source_id for _, source_id in pairs}
    if historical:
        found = {version.id: version for version in versions_as_of(Source, upto, id__in=cited_ids)} \
            if cited_ids else {}
        if missing := cited_ids - found.keys():  # no version known then: the source as it is
            found.update(sources.in_bulk(missing))
    else:
        found = sources.in_bulk(cited_ids)
    cited: dict[int, list] = defaultdict(list)
    for owner_id, source_id in pairs:
        cited[owner_id].append(found[source_id])
    for row in rows:
        row.sources_cached = cited.get(row.history_id if historical else row.id, [])


def _attach_actors(rows: list) -> None:
    # History rows cannot select_related their actor; one query serves both kinds of row.
    actors = Actor.objects.in_bulk({row.actor_id for row in rows})
    affiliations = Actor.objects.in_bulk(
        {a.affiliation_id for a in actors.values() if a.affiliation_id}
    )
    for actor in actors.values():
        actor.affiliation_cached = affiliations.get(actor.affiliation_id)
    for row in rows:
        row.actor_cached = actors.get(row.actor_id)


def claim_with_parts(claim: Claim, *, sources: QuerySet | None = None, upto: int | None = None) -> Claim:
    """One claim with its actor (`actor_cached`) and cited sources (`sources_cached`, read from
    `sources`: by default the sources as they are); with `upto`, `claim` is its version as of
    that revision and cites the sources as known then."""
    _attach_actors([claim])
    _attach_sources([claim], upto=upto, sources=Source.objects.all() if sources is None else sources)
    return claim


def claim_threads(development_ids: Iterable[int], *, upto: int | None = None,
                  sources: QuerySet | None = None) -> dict[int, list[ClaimThread]]:
    """Claims per development, each followed by its responses, with the sources each cites
    (`sources_cached`, read from `sources`: by default the sources as they are); constant queries.

    A response to a claim about another development is shown with its own development.
    """
    rows = _claims(development_ids, upto, sources=Source.objects.all() if sources is None else sources)
    by_id = {row.id: row for row in rows}
    threads: dict[int, list[ClaimThread]] = defaultdict(list)
    thread_of: dict[int, ClaimThread] = {}
    for row in rows:
        parent = by_id.get(row.responds_to_id) if row.responds_to_id else None
        if parent is not None and parent.development_id == row.development_id:
            root = parent
            while (grand := by_id.get(root.responds_to_id)) and grand.development_id == root.development_id:
                root = grand
            thread_of.setdefault(root.id, ClaimThread(root)).responses.append(row)
        else:
            thread = thread_of.setdefault(row.id, ClaimThread(row))
            threads[row.development_id].append(thread)
    return dict(threads)


def contested_figures(development_ids: Iterable[int], *, upto: int | None = None) -> list[ContestedFigure]:
    """Figure claims grouped by development, unit and group, e.g. deaths: at least 200 vs not given."""
    groups: dict[tuple[int, str, str], ContestedFigure] = {}
    for row in _claims(development_ids, upto):
        if row.retracted or not has_figure(row):
            continue
        key = (row.development_id, row.figure_unit.strip().lower(), row.figure_group.strip().lower())
        groups.setdefault(key, ContestedFigure(row.figure_unit, row.development_id, [],
                                               row.figure_group)).claims.append(row)
    return list(groups.values())


def claim_verification_history(claim_id: int, upto: int | None = None) -> list[VerificationStep]:
    """Each status the claim has had (unverified -> disputed -> ...), from its versions (up to
    revision `upto`); one query."""
    steps: list[VerificationStep] = []
    versions = item_versions(Claim, claim_id)
    for row in versions if upto is None else versions.filter(revision_id__lte=upto):
        if steps and (steps[-1].verification, steps[-1].note) == (row.verification, row.verification_note):
            continue
        steps.append(VerificationStep(
            version=row.version, verification=row.verification, note=row.verification_note,
            revision_id=row.revision_id, at=row.revision.created_at,
            author=row.revision.author.get_username(), message=row.revision.message,
        ))
    return steps
