"""Memento (RFC 7089): the record's pages as their own TimeGates, their Mementos and TimeMaps."""
