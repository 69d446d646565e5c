"""Pages with issue 19's data are valid HTML too: a figure chart, a place, a quote in its own language."""

import datetime as dt

import pytest

from claims.models import Claim
from tests.factories import make_actor, make_claim, make_development, make_story
from tests.pages.nu_checker import assert_pages_pass_the_nu_checker, needs_java

pytestmark = pytest.mark.django_db


@needs_java
def test_chart_place_and_original_quote_pages_pass_the_nu_html_checker(client, editor, tmp_path):
    story = make_story(author=editor, slug="valid-figures")
    development = make_development(story, author=editor, occurred_precision="week", latitude=39.8177,
                                   longitude=46.7528, geo_precision="near", admin1="Khankendi", country="AZ")
    for name, day, figure in (("Ministry", 19, {"figure_low": 10, "figure_qualifier": "at_least"}),
                              ("Monitor", 20, {"figure_low": 25, "figure_best": 30, "figure_high": 40,
                                               "figure_qualifier": "approximately"})):
        make_claim(development, author=editor, actor=make_actor(author=editor, name=name),
                   made_on=dt.date(2023, 9, day), claim_type=Claim.Type.FIGURE, figure_unit="deaths",
                   figure_group="civilians", **figure)
    make_claim(development, author=editor, quote="We will not leave our homes.",
               quote_original="لن نترك بيوتنا", quote_language="ar", quote_translator="the newsroom")
    page = development.get_absolute_url()
    assert_pages_pass_the_nu_checker(client, {
        "story": story.get_absolute_url(), "development": page,
        "chart": page + "figures/deaths-civilians/",
    }, tmp_path)
