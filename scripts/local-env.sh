#!/usr/bin/env bash
# Write the checkout's local env file once (DEBUG=1 and a generated SECRET_KEY),
# which tracker/settings.py reads when present, so that every manage.py command
# works without exports. An existing file is left alone (its key keeps sessions valid).
set -euo pipefail
file=${LOCAL_ENV_FILE-var/local.env}
[ -n "$file" ] || exit 0   # LOCAL_ENV_FILE="": no local env file wanted
[ -e "$file" ] && exit 0
mkdir -p "$(dirname "$file")"
key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
umask 077
cat > "$file" <<CONF
# Written once by \`make run\` (scripts/local-env.sh) for this checkout only; git-ignored.
# Real environment variables win over these. Delete the file to get a new key.
DEBUG=1
SECRET_KEY=$key
CONF
echo "Wrote $file (DEBUG=1 and a generated SECRET_KEY): manage.py commands now need no exports."
