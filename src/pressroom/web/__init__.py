"""The web layer: the portal readers use, feeds, the API and discovery files."""
