"""Drafts: proposed changes held outside the public record until they are reviewed and published."""
