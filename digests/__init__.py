"""Subscriptions and the "what changed" digests sent to them by email and webhook."""
