"""Turning collected items into stored stories: cleaning, keys for de-duplication, matching."""
