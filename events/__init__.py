"""Stories, developments and the revision log that versions them."""
