"""The editors' desk: the admin where every save is one revision, with history, diff and restore."""
