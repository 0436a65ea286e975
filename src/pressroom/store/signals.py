"""Signals the store's writers send, so that upper layers (the portal's page cache) can
react without lower layers importing them."""

from django.dispatch import Signal

# What readers may see has changed (articles added, rewritten or moved). Sent inside the
# writing transaction; receivers that act on it should wait for the commit.
articles_changed = Signal()
