"""Data in and out: ACLED's CSV layout, import and export, and GeoJSON of developments."""
