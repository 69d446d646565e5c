"""The demo story: the September 2023 Karabakh offensive, recorded as the facts became known.

Written in the tracker's own words from the article in shared/seed; verbatim
quotes are kept verbatim and attributed to their speaker and to the article
(The Epoch Times, 21 September 2023). Every write goes through the services,
each revision dated when the fact was reported. Beside the article, the story
cites the statements the facts first came from, each on its own day (named, not
linked: the demo links no page it has not seen); places carry coordinates at an
honest precision (a city is exact, "Karabakh" is the region), and the Karabakh
Armenian death toll is reported twice, on 19 and 20 September, so the figures
chart and the as-of view have movement to show.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from archive import services as archive_services
from claims import services as claim_services
from claims.models import Claim
from events import services
from events.editing import story_revision
from events.models import Development, Story
from record.models import Revision

from .facts import ACTORS, PLACES, SOURCES

SLUG = "karabakh-2023"
DESK_USERNAME = "newsdesk"
# A reserved example domain (RFC 2606): the demo names no real page it has not seen.
SOURCE_URL = "https://news.example/epoch-times/2023-09-21/karabakh-lightning-offensive"
SOURCE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "epoch-times-2023-09-21.html"


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2023, 9, day, hour, minute, tzinfo=dt.UTC)


def _place(name: str) -> dict:
    """A development's place fields from PLACES: its name, coordinates and how exact they are."""
    return dict(PLACES[name])


def desk_user():
    user, created = get_user_model().objects.get_or_create(
        username=DESK_USERNAME, defaults={"first_name": "News", "last_name": "desk"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def load_demo() -> tuple[Story, bool]:
    """Load the demo story once; returns (story, created)."""
    existing = Story.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        return _load(desk_user()), True


def _load(desk) -> Story:  # noqa: PLR0915 (a script, read top to bottom)
    story = services.story_create(
        author=desk, at=_at(19, 9, 30), message="New story: Azerbaijan's offensive in Karabakh",
        slug=SLUG, title="Azerbaijan's offensive in Karabakh, September 2023",
        summary=(
            "Azerbaijan launched a military offensive to disarm ethnic Armenian separatists "
            "in the Karabakh region, which is internationally recognised as Azerbaijani "
            "territory but mostly populated by ethnic Armenians."
        ),
    )

    with story_revision(author=desk, at=_at(19, 9, 40), kind=Revision.Kind.CREATED,
                  message="Actors and the main source of the story"):
        actor = {}
        for key, spec in ACTORS.items():
            fields = dict(spec)  # ACTORS is read again on the next load: never mutate it
            affiliation = actor.get(fields.pop("affiliation", None))
            actor[key] = services.actor_create(
                author=desk, message="Actor", affiliation=affiliation, **fields
            )
        article = services.source_create(
            author=desk, message="Source", outlet="The Epoch Times",
            title="Azerbaijan Seeks to Cement Control of Karabakh After Lightning Offensive",
            url=SOURCE_URL, published_on=dt.date(2023, 9, 21),
        )
        source = {key: services.source_create(author=desk, message="Source", **SOURCES[key])
                  for key in ("mod_statement", "ombudsman_19")}

    def cite(at, key):
        """A source first known on its own day, recorded when the desk saw it."""
        source[key] = services.source_create(author=desk, at=at, message="Source", **SOURCES[key])
        return source[key]

    def develop(at, message, also_cites=(), **fields):
        return services.development_create(
            author=desk, story=story, at=at, message=message,
            sources=[article, *also_cites], **fields
        )

    def claim(at, development, message, sources=None, **fields):
        return claim_services.claim_create(
            author=desk, development=development, at=at, message=message,
            sources=sources or [article], **fields,
        )

    # 19 September: the offensive is reported.
    offensive = develop(
        _at(19, 10), "Offensive reported",
        title="Azerbaijan launches an offensive in Karabakh",
        kind=Development.Kind.MILITARY_ACTION, occurred_at=_at(19, 0),
        key_event=True, also_cites=[source["mod_statement"]], **_place("line of contact"),
        summary=(
            "Azerbaijan began a major ground offensive into Karabakh, aiming to take full "
            "control of the region. It followed Azerbaijani reports that several of its "
            "soldiers had been killed in attacks by ethnic Armenian separatists."
        ),
        actors=[actor["azerbaijan_mod"], actor["aliyev"]],
    )
    aggression = claim(
        _at(19, 14), offensive, "Armenia's reaction to the offensive",
        actor=actor["armenia"], made_on=dt.date(2023, 9, 19),
        claim_type=Claim.Type.ALLEGATION,
        paraphrase="Armenia condemned the offensive as large-scale aggression.",
        quote="an act of large-scale aggression",
    )
    claim(
        _at(19, 15), offensive, "Aliyev's justification of the operation",
        actor=actor["aliyev"], made_on=dt.date(2023, 9, 19), claim_type=Claim.Type.STATEMENT,
        paraphrase=(
            "Aliyev described the operation as counter-terrorist, a response to repeated "
            "provocations by the Armenian side."
        ),
        responds_to=aggression, response_relation=Claim.Relation.DISPUTES,
    )
    casualties = develop(
        _at(19, 21), "Casualty figures reported",
        title="Death toll of the offensive unclear",
        kind=Development.Kind.CASUALTY_REPORT, occurred_at=_at(19, 0),
        also_cites=[source["ombudsman_19"]], **_place("Karabakh"),
        summary=(
            "It is unclear how many people were killed on either side during the offensive."
        ),
    )
    # The first count, reported the evening the offensive began; it rose the next day.
    claim(
        _at(19, 21, 5), casualties, "First Karabakh Armenian casualty figure",
        actor=actor["separatists"], made_on=dt.date(2023, 9, 19), claim_type=Claim.Type.FIGURE,
        paraphrase=(
            "The Karabakh Armenian authorities' human rights ombudsman said at least 27 people "
            "had been killed on the first day of the offensive, two of them civilians."
        ),
        figure_low=27, figure_qualifier=Claim.Qualifier.AT_LEAST, figure_unit="deaths",
        sources=[source["ombudsman_19"]],
        verification_note="A first count by one side, not independently verified.",
    )

    # 20 September: the fighting stops within a day; a ceasefire is agreed.
    offensive = services.development_update(
        author=desk, at=_at(20, 9), development=offensive, base_version=offensive.version,
        message="The offensive ended within 24 hours",
        changes={
            "ended_at": _at(20, 0),
            "summary": (
                "Azerbaijan began a major ground offensive into Karabakh, aiming to take full "
                "control of the region. It followed Azerbaijani reports that several of its "
                "soldiers had been killed in attacks by ethnic Armenian separatists. The "
                "fighting was over within 24 hours; Azerbaijani forces took strategic "
                "positions across the region, and its defence ministry said large amounts of "
                "Armenian weapons and equipment were destroyed or seized."
            ),
            "status": Development.Status.CONFIRMED,
        },
    )
    develop(
        _at(20, 10), "Ceasefire agreed",
        title="Russia brokers a ceasefire between Azerbaijan and Karabakh separatists",
        kind=Development.Kind.CEASEFIRE, occurred_at=_at(20, 0), **_place("Karabakh"),
        key_event=True, also_cites=[cite(_at(20, 9, 50), "ceasefire_statement")],
        summary=(
            "Azerbaijan and the Karabakh-based separatist leaders agreed to a ceasefire "
            "brokered by Russia, ending the offensive."
        ),
        actors=[actor["kremlin"], actor["separatists"]],
    )
    claim(
        _at(20, 12), casualties, "Karabakh Armenian casualty figure",
        actor=actor["separatists"], made_on=dt.date(2023, 9, 20), claim_type=Claim.Type.FIGURE,
        paraphrase="Ethnic Armenian sources in Karabakh said at least 200 people on their side were killed.",
        figure_low=200, figure_qualifier=Claim.Qualifier.AT_LEAST, figure_unit="deaths",
        verification_note="The Epoch Times could not independently verify the figure.",
    )
    claim(
        _at(20, 12, 5), casualties, "Azerbaijan's casualty statement",
        actor=actor["azerbaijan_gov"], made_on=dt.date(2023, 9, 20),
        claim_type=Claim.Type.FIGURE,
        paraphrase="Azerbaijan said its forces suffered casualties but gave no figure.",
        figure_qualifier=Claim.Qualifier.UNSPECIFIED, figure_unit="deaths",
        verification_note="The Epoch Times could not independently verify the claim.",
    )
    peacekeepers = develop(
        _at(20, 14), "Row over Russia's peacekeepers",
        title="Armenia and the US criticise Russia's peacekeepers; the Kremlin rejects it",
        kind=Development.Kind.STATEMENT, occurred_at=_at(20, 0),
        summary=(
            "Armenian officials accused the Russian peacekeepers deployed in the region of "
            "failing their mandate, echoing earlier US criticism. The Kremlin rejected this."
        ),
        actors=[actor["grigoryan"], actor["state_department"], actor["peskov"]],
    )
    criticism = claim(
        _at(20, 14, 5), peacekeepers, "Armenian accusation against the peacekeepers",
        actor=actor["grigoryan"], made_on=dt.date(2023, 9, 20),
        claim_type=Claim.Type.ALLEGATION,
        paraphrase="Russian peacekeepers in the region failed to fulfil their mandate.",
    )
    claim(
        _at(20, 14, 10), peacekeepers, "US criticism of Russia",
        actor=actor["state_department"], made_on=dt.date(2023, 9, 20),
        claim_type=Claim.Type.ALLEGATION,
        paraphrase=(
            "As guarantor of the 2020 ceasefire, Russia had not done what it should to "
            "prevent further violence."
        ),
        quote=(
            "not done what it is supposed to do in terms of ... preventing further violence"
        ),
        responds_to=None,
    )
    claim(
        _at(20, 14, 15), peacekeepers, "The Kremlin's answer",
        actor=actor["peskov"], made_on=dt.date(2023, 9, 20), claim_type=Claim.Type.DENIAL,
        paraphrase=(
            "The Kremlin rejected the criticism of its peacekeepers, noting that Armenia had "
            "recognised Karabakh as part of Azerbaijan and that the offensive took place on "
            "Azerbaijan's own territory."
        ),
        quote=(
            "We reject such criticisms [of Russia's peacekeeping contingent], especially given "
            "Armenia's decision to recognize Karabakh as part of Azerbaijan"
        ),
        responds_to=criticism, response_relation=Claim.Relation.DENIES,
    )
    address = develop(
        _at(20, 19), "Aliyev's address reported",
        title="Aliyev says Karabakh belongs to Azerbaijan",
        kind=Development.Kind.STATEMENT, occurred_at=_at(19, 18), occurred_precision="hour",
        **_place("Baku"),
        summary="In an evening address, President Aliyev claimed the region for Azerbaijan.",
        actors=[actor["aliyev"]],
    )
    claim(
        _at(20, 19, 5), address, "Aliyev's claim to Karabakh",
        actor=actor["aliyev"], made_on=dt.date(2023, 9, 20), claim_type=Claim.Type.STATEMENT,
        paraphrase=(
            "Karabakh belongs to Azerbaijan, and the whole world, Armenia's leadership "
            "included, recognises it."
        ),
        quote=(
            "Karabakh belongs to Azerbaijan, and the whole world recognizes this, including "
            "the Armenian leadership"
        ),
    )
    # The address was first filed under the wrong evening.
    services.development_update(
        author=desk, at=_at(20, 20), development=address, base_version=address.version,
        kind=Revision.Kind.CORRECTION,
        message="Correction: the address was given on the evening of 20 September, not 19 September",
        changes={"occurred_at": _at(20, 18)},
    )

    # 21 September: talks in Yevlakh, a disputed ceasefire breach, a call, peacekeeper deaths.
    talks = develop(
        _at(21, 8), "Talks in Yevlakh",
        title="Azerbaijani officials and Karabakh Armenian leaders meet in Yevlakh",
        kind=Development.Kind.NEGOTIATION, occurred_at=_at(21, 0), **_place("Yevlakh"),
        key_event=True,
        summary=(
            "Azerbaijani officials met ethnic Armenian leaders from Karabakh in the "
            "Azerbaijani city of Yevlakh to discuss the region's 'reintegration' into "
            "Azerbaijan. It remained unclear whether the Karabakh leaders had fully accepted "
            "the ceasefire."
        ),
        actors=[actor["separatists"], actor["azerbaijan_gov"]],
    )
    claim(
        _at(21, 8, 30), talks, "Babayan on the state of the agreement",
        actor=actor["babayan"], made_on=dt.date(2023, 9, 21), claim_type=Claim.Type.STATEMENT,
        paraphrase=(
            "Military action has stopped by agreement, but a final deal is still awaited, and "
            "the separatists' disarmament cannot be considered without security guarantees."
        ),
        quote="We have an agreement on the cessation of military action, but we await a final agreement",
    )
    breach = develop(
        _at(21, 10), "Ceasefire breach alleged",
        title="Karabakh Armenians accuse Azerbaijan of breaking the ceasefire",
        kind=Development.Kind.ACCUSATION, occurred_at=_at(21, 0), **_place("Karabakh"),
        summary=(
            "Ethnic Armenians in Karabakh accused Azerbaijan of breaching the terms of the "
            "ceasefire agreed a day earlier. Azerbaijan denied it."
        ),
        actors=[actor["separatists"], actor["azerbaijan_mod"]],
    )
    accusation = claim(
        _at(21, 10, 5), breach, "The accusation",
        actor=actor["separatists"], made_on=dt.date(2023, 9, 21),
        claim_type=Claim.Type.ALLEGATION,
        paraphrase="Azerbaijan breached the terms of the Russian-brokered ceasefire.",
    )
    claim(
        _at(21, 11), breach, "Azerbaijan's denial",
        actor=actor["azerbaijan_mod"], made_on=dt.date(2023, 9, 21),
        claim_type=Claim.Type.DENIAL,
        paraphrase="Azerbaijan's defence ministry said the allegation was false.",
        quote="completely false",
        responds_to=accusation, response_relation=Claim.Relation.DENIES,
    )
    claim_services.claim_verify(
        author=desk, at=_at(21, 11, 5), claim=accusation, base_version=1,
        verification=Claim.Verification.DISPUTED,
        note="Denied by Azerbaijan's defence ministry; not independently verified.",
        message="The ceasefire-breach allegation is disputed",
    )
    call = develop(
        _at(21, 13), "Putin and Aliyev spoke by phone",
        title="Putin and Aliyev agree by phone to keep trilateral talks going",
        kind=Development.Kind.CALL, occurred_at=_at(21, 0),
        also_cites=[cite(_at(21, 12, 50), "kremlin_readout")],
        summary=(
            "The Kremlin said Putin and Aliyev agreed by phone to continue trilateral talks "
            "with Armenia, aimed at opening transport links, marking the border and drafting "
            "a peace treaty."
        ),
        actors=[actor["putin"], actor["aliyev"]],
    )
    claim(
        _at(21, 13, 5), call, "The Kremlin's account of the call",
        actor=actor["kremlin"], made_on=dt.date(2023, 9, 21), claim_type=Claim.Type.STATEMENT,
        sources=[article, source["kremlin_readout"]],
        paraphrase=(
            "The two leaders agreed to intensify negotiations in line with the trilateral "
            "agreements of 2020 to 2022."
        ),
        quote=(
            "intensify negotiations in conformity with well-known trilateral agreements "
            "achieved ... in the 2020–2022 period"
        ),
    )
    casualties = Development.objects.get(pk=casualties.pk)
    services.development_update(
        author=desk, at=_at(21, 15), development=casualties, base_version=casualties.version,
        message="Russian peacekeepers were also killed",
        changes={
            "summary": (
                "It is unclear how many people were killed on either side during the "
                "offensive. It later emerged that an unspecified number of Russian "
                "peacekeepers were also killed, apparently by mistake, by Azerbaijani forces."
            ),
            "actors": [actor["peacekeepers"]],
            "ended_at": _at(20, 0),
        },
    )

    # The article is dated 21 September: captured then, from the copy kept with the
    # demo (no internet here); in production the archive fetches the URL itself as
    # soon as the revision citing it commits.
    archive_services.source_capture_file(
        article.pk, SOURCE_FIXTURE.read_bytes(), content_type="text/html; charset=utf-8",
        at=_at(21, 16),
    )

    # The pinned "What we know", written once the ceasefire held and rewritten as it changed.
    known = services.briefing_create(
        author=desk, at=_at(21, 16), story=story, message="What we know, pinned",
        text=("Azerbaijan launched an offensive in Karabakh on 19 September. The next day "
              "Russia brokered a ceasefire between Azerbaijan and the separatist leaders. "
              "How many people were killed on either side remains unclear."),
    )
    services.briefing_update(
        author=desk, at=_at(21, 18), briefing=known, base_version=known.version,
        message="Talks in Yevlakh added",
        changes={"text": known.text + (" On 21 September Azerbaijani officials and Karabakh "
                                       "Armenian leaders met in Yevlakh; no agreement on the "
                                       "region's future was announced.")},
    )
    return story
