"""The news domain: stories, their developments, and the actors and sources they name."""
