"""The portal's pages, one module per kind of page."""
