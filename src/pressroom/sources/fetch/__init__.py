"""Fetching over HTTP, politely: per-host limits, retries, validators, robots.txt, guards.

``client.Fetcher`` is the one entry point; the other modules each do one job
(address guard, host limits and circuit breaker, robots.txt, character sets).
"""
