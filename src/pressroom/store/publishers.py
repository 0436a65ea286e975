"""The publisher tree: a ministry and the departments under it, an akimat and its offices.

Filters by publisher (search, feeds, the API) mean "this publisher and every one under
it, at any depth"; the tree is small (a few thousand rows), so it is read whole and
walked in Python rather than with a recursive query each backend writes differently.
"""

from __future__ import annotations

from pressroom.store.models import Publisher


def publisher_and_below(root_id: int) -> list[int]:
    """The ids of publisher ``root_id`` and of every publisher under it, sorted."""
    children: dict[int, list[int]] = {}
    for pid, parent in Publisher.objects.exclude(parent=None).values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pid)
    found, todo = {root_id}, [root_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:  # a cycle an editor made must not loop forever
                found.add(child)
                todo.append(child)
    return sorted(found)


def publisher_and_below_slug(slug: str) -> list[int]:
    """As ``publisher_and_below``, from a slug; empty when no publisher has it."""
    root = Publisher.objects.filter(slug=slug).values_list("id", flat=True).first()
    return [] if root is None else publisher_and_below(root)
