"""The record core: the append-only revision log and everything generic about versions."""
