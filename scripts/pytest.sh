#!/usr/bin/env bash
# Run pytest; an empty selection (exit 5) is a failure, not a silent pass.
set -uo pipefail
.venv/bin/pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
    echo "ERROR: pytest collected no tests for: $*" >&2
    exit 1
fi
exit $rc
