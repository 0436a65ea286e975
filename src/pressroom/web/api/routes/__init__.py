"""One router per resource: articles, search, sections and publishers."""
