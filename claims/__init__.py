"""Actors, sources and the claims actors make about developments."""
