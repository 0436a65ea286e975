"""Refuse to fetch private, loopback and link-local addresses (SSRF guard).

A feed URL is data from outside: it, or a redirect it answers with, may point
at the machine itself or the private network behind it. Every hop is resolved
first and every address it resolves to is checked; the request then goes to the
checked address itself (pinned), so a second, different DNS answer cannot slip
through. ``PRESSROOM_FETCH_ALLOW_PRIVATE=1`` turns the check off (loopback tests,
intranets).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from pressroom import config


class BlockedAddress(Exception):
    """The URL's host is (or resolves to) an address we must not fetch."""


def private_allowed() -> bool:
    return config.flag("PRESSROOM_FETCH_ALLOW_PRIVATE")


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
    )


async def resolve_checked(host: str, port: int, allow_private: bool) -> str:
    """One address of ``host`` that may be fetched, or ``BlockedAddress``.

    All addresses are checked, not only the first: a name that resolves to one
    public and one private address is refused.
    """
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise OSError(f"cannot resolve {host}: {exc.strerror}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise OSError(f"cannot resolve {host}")
    if not allow_private:
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            raise BlockedAddress(
                f"{host} resolves to a private, loopback or link-local address ({blocked[0]}); "
                "set PRESSROOM_FETCH_ALLOW_PRIVATE=1 to allow it"
            )
    return addresses[0]
