"""A figure claim's qualifier defaults to what its numbers imply."""

from __future__ import annotations

import pytest

from claims.models import Claim
from desk.entry import implied_qualifier
from tests.desk.forms import form_data
from tests.factories import make_actor, make_development

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.mark.parametrize(("low", "best", "high", "qualifier"), [
    (None, 200, None, "exact"), (200, None, None, "at_least"), (None, None, 200, "at_most"),
    (180, 200, 230, "approximately"), (180, None, 230, "approximately"), (None, None, None, ""),
])
def test_the_qualifier_the_numbers_imply(low, best, high, qualifier):
    assert implied_qualifier(low, best, high) == qualifier


def _add_figure_claim(desk, paraphrase: str, **figure):
    development, actor = make_development(), make_actor()
    url = "/admin/claims/claim/add/"
    data = form_data(desk.get(url), development=str(development.pk), actor=str(actor.pk),
                     made_on="2023-09-20", claim_type="figure", paraphrase=paraphrase,
                     figure_unit="deaths", change_message="New figure", **figure)
    response = desk.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Claim.objects.get(paraphrase=paraphrase)


def test_a_claim_added_with_a_floor_and_no_qualifier_is_at_least(desk):
    claim = _add_figure_claim(desk, "At least 200 killed.", figure_low="200", figure_qualifier="")
    assert claim.figure_qualifier == "at_least"


def test_a_qualifier_the_editor_chose_is_kept(desk):
    claim = _add_figure_claim(desk, "Some 200 killed.", figure_best="200", figure_qualifier="approximately")
    assert claim.figure_qualifier == "approximately"
