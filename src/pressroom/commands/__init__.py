"""One module per ``pressroom`` verb: its arguments and what it prints."""
