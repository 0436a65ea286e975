"""Turn raw listing-page text into candidate news items (pure Python: no Django, no database)."""
