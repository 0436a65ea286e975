"""Publisher filters take the publisher and every one under it, at any depth."""

from __future__ import annotations

import pytest

from pressroom.store.models import Publisher
from pressroom.store.publishers import publisher_and_below, publisher_and_below_slug

pytestmark = pytest.mark.django_db


def _tree() -> dict[str, Publisher]:
    made: dict[str, Publisher] = {}
    for slug, parent in [
        ("mfa", None),
        ("mfa-ljubljana", "mfa"),
        ("mfa-ljubljana-consulate", "mfa-ljubljana"),
        ("mfa-strasbourg", "mfa"),
        ("akimat-shymkent", None),
    ]:
        made[slug] = Publisher.objects.create(
            slug=slug, kind=Publisher.Kind.OTHER, parent=made.get(parent) if parent else None
        )
    return made


def test_a_publisher_takes_its_whole_subtree_and_nothing_else():
    p = _tree()
    ids = {name: pub.pk for name, pub in p.items()}
    assert publisher_and_below(ids["mfa"]) == sorted(
        ids[s] for s in ("mfa", "mfa-ljubljana", "mfa-ljubljana-consulate", "mfa-strasbourg")
    )
    assert publisher_and_below(ids["mfa-ljubljana"]) == sorted(
        [ids["mfa-ljubljana"], ids["mfa-ljubljana-consulate"]]
    )
    assert publisher_and_below_slug("akimat-shymkent") == [ids["akimat-shymkent"]]
    assert publisher_and_below_slug("no-such-publisher") == []


def test_a_cycle_made_by_an_editor_ends():
    p = _tree()
    p["mfa"].parent = p["mfa-ljubljana-consulate"]
    p["mfa"].save()
    assert len(publisher_and_below(p["mfa-ljubljana"].pk)) == 4
