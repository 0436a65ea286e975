"""Schemathesis against the API's own OpenAPI document, through the WSGI application.

Every operation is called with generated parameters (valid ones, and invalid ones in
the negative and coverage phases) on the demo content, and every answer must pass all
of schemathesis's checks: no server error, a documented status code and content type,
a body that fits the documented schema, declared headers present, invalid input refused
with a 4xx and valid input accepted.

One allowance, stated in the configuration: a 400 for data the schema calls valid. A
cursor is opaque (any string fits its schema, yet only cursors this server signed are
accepted), a section or publisher filter may name nothing that exists, and a date range
may end before it starts; each is a 400 with the reason. ``only_known_400s`` makes sure
no other failure hides behind that allowance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from pressroom.wsgi import application

CONFIG = """
[generation]
max-examples = 60

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "304", "400", "404"]
"""


# Loaded when the module is collected: the OpenAPI document needs no database.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", application, config=SchemathesisConfig.from_str(CONFIG)
)


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSROOM_API_RATE_LIMIT", "0")


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's own test client unhooks the same signal handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


EXPECTED_400 = re.compile(r"cursor|^There is no (section|publisher) |end date .* before the start")


@schemathesis.check
def only_known_400s(ctx: Any, response: Any, case: Any) -> None:
    if response.status_code == 400:
        detail = response.json()["detail"]
        assert EXPECTED_400.search(detail), detail


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, demo: None) -> None:
    case.call_and_validate()
