"""Sources: where inputs come from (local files and pipes now; feeds and sites later)."""
