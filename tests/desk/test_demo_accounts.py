"""The demo's accounts: an editor and a reviewer, so the review loop can be tried at once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from drafts.services import is_reviewer

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def run_demo_editor() -> str:
    out = io.StringIO()
    call_command("demo_editor", stdout=out)
    return out.getvalue()


def test_the_demo_creates_a_reviewer_who_may_review(settings):
    settings.DEBUG = True
    run_demo_editor()
    reviewer = authenticate(username="reviewer", password="reviewer-demo")
    assert reviewer is not None and reviewer.is_staff
    assert is_reviewer(reviewer)


def test_the_demo_editor_is_not_a_reviewer(settings):
    settings.DEBUG = True
    run_demo_editor()
    editor = authenticate(username="editor", password="editor-demo")
    assert editor is not None and not is_reviewer(editor)


def test_the_demo_prints_both_logins(settings):
    settings.DEBUG = True
    out = run_demo_editor()
    assert "'editor' / 'editor-demo'" in out
    assert "'reviewer' / 'reviewer-demo'" in out


def test_running_the_demo_twice_keeps_one_reviewer(settings, django_user_model):
    settings.DEBUG = True
    run_demo_editor()
    run_demo_editor()
    assert django_user_model.objects.filter(username="reviewer").count() == 1


def test_the_demo_accounts_are_refused_without_debug(settings, django_user_model):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        run_demo_editor()
    assert not django_user_model.objects.filter(username="reviewer").exists()
