"""Snippets mark the words searched for (and their forms), around the first match."""

from search.snippets import plain_snippet, snippet


def test_the_words_and_their_other_forms_are_marked():
    pieces = snippet("Russia's peacekeeping contingent and its peacekeepers", ["Peacekeepers"])
    assert [piece for piece, marked in pieces if marked] == ["peacekeeping", "peacekeepers"]


def test_accents_do_not_stop_a_mark():
    assert [piece for piece, marked in snippet("Talks in Ağdam", ["agdam"]) if marked] == ["Ağdam"]


def test_a_long_text_is_cut_around_the_first_match():
    text = "word " * 200 + "ceasefire " + "word " * 200
    cut = plain_snippet(text, ["ceasefire"], width=100)
    assert "ceasefire" in cut and cut.startswith("…") and cut.endswith("…") and len(cut) < 110
