"""The desk's admin classes, one module per domain (found here by admin autodiscovery)."""

from . import claims, digests, drafts, events, record  # noqa: F401 (registers the admin classes)
