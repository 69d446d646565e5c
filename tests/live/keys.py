"""The Grip-Sig key the test Pushpin signs with and the app checks."""

import secrets

SIG_KEY = secrets.token_hex(16)
