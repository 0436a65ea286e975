"""Date formats per interface language: Django has none for Kazakh; English reads day-first."""
