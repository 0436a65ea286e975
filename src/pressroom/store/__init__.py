"""Storage: the models every other layer reads and writes, and (later) search."""
