"""Every searchable field of the current record is found, on both engines, as words and phrases."""

import pytest

from events import services
from search.selectors import Filters
from tests.factories import make_actor, make_claim, make_development, make_source, make_story, make_user
from tests.search.helpers import found

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

# A quote said in Russian, with its translation and who made it.
ORIGINAL = {"quote_original": "Миротворцы ушли", "quote_language": "ru", "quote": "The peacekeepers left",
            "quote_translator": "the newsroom"}


@pytest.mark.parametrize("field", ["title", "summary", "location"])
def test_a_development_is_found_by_its_title_summary_and_place(committed, field):
    with committed():
        development = make_development(**{field: "Shelling near Yevlakh bridge"})
    assert ("development", development.id) in found("Yevlakh")


@pytest.mark.parametrize("field", ["paraphrase", "quote", "quote_original"])
def test_a_claim_is_found_by_its_paraphrase_and_its_quotes_in_both_languages(committed, field):
    with committed():
        claim = make_claim(**{**ORIGINAL, field: "Peacekeepers withdrew from Khojaly"})
    assert ("claim", claim.id) in found("Khojaly")


def test_an_original_language_quote_is_found_in_its_own_script(committed):
    with committed():
        claim = make_claim(**{**ORIGINAL, "quote_original": "Миротворцы покинули позиции"})
    assert ("claim", claim.id) in found("Миротворцы")


def test_actors_and_sources_are_found_by_name_and_title(committed):
    with committed():
        actor = make_actor(name="Hikmet Hajiyev", role="Presidential aide")
        source = make_source(outlet="Armenpress", title="Evacuation from Lachin corridor")
    assert ("actor", actor.id) in found("Hajiyev")
    assert ("actor", actor.id) in found("aide")
    assert ("source", source.id) in found("Armenpress")
    assert ("source", source.id) in found("Lachin corridor")


def test_a_storys_what_we_know_is_found(committed):
    with committed():
        story = make_story()
        briefing = services.briefing_create(author=make_user(), story=story, message="What we know",
                                            text="Talks in Yevlakh ended without agreement.")
    assert ("briefing", briefing.id) in found("Yevlakh agreement")


def test_accents_do_not_matter_either_way(committed):
    with committed():
        development = make_development(title="Residents leave Şuşa for Goris")
        other = make_development(title="Talks in Agdam")
    assert ("development", development.id) in found("Susa")
    assert ("development", other.id) in found("Ağdam")


def test_english_words_are_found_by_their_stem(committed):
    with committed():
        development = make_development(summary="Peacekeepers were evacuating villages.")
    assert ("development", development.id) in found("evacuate village")


def test_a_quoted_phrase_needs_its_words_in_a_row(committed):
    with committed():
        in_a_row = make_development(summary="At least 200 dead in two days.")
        apart = make_development(summary="200 soldiers, none dead.")
    assert found('"200 dead"') >= {("development", in_a_row.id)}
    assert ("development", apart.id) not in found('"200 dead"')
    assert ("development", apart.id) in found("200 dead")


def test_every_word_must_match(committed):
    with committed():
        development = make_development(title="Ceasefire agreed")
    assert found("ceasefire Stepanakert") == set()
    assert ("development", development.id) in found("ceasefire agreed")


def test_a_retracted_development_is_still_found_with_its_status(committed):
    with committed():
        development = make_development(title="Dam destroyed at Sarsang")
        services.development_retract(author=make_user(), development=development, base_version=1,
                                     reason="The report was false.")
    assert ("development", development.id) in found("Sarsang", filters=Filters(status="retracted"))
