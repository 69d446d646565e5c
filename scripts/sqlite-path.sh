#!/usr/bin/env bash
# The embedded default: migrate, load the demo and read its timeline on SQLite,
# then run the `sqlite` tests on SQLite too: the event store (triggers included),
# the control-character refusals, and the API's schemathesis fuzz with an
# editor's token followed by the Nu checker over the main pages (about two
# minutes on an idle machine: 10 examples per operation).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DATABASE_URL="sqlite:///$tmp/tracker.sqlite3" DEBUG=1
unset REDIS_URL
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_demo
.venv/bin/python manage.py load_demo
.venv/bin/python manage.py shell -c "
from events.models import Story
from events.selectors import story_timeline
story = Story.objects.get(slug='karabakh-2023')
timeline = story_timeline(story)
assert len(timeline) >= 7, timeline
print(f'SQLite path: {len(timeline)} developments on the timeline of {story.slug}')
"
bash scripts/pytest.sh -m sqlite tests/
