"""Who claims what about a development: attributed claims, their figures and verification."""
