"""The REST API over stories, developments and the change feed (claims live in claims/api.py)."""
