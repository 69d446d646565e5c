"""The REST API under /api/: every domain's serializers and views, the change feed, one error handler."""
