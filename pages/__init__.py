"""The public pages and feeds: timelines, development pages, history, diffs, Atom and JSON Feed."""
