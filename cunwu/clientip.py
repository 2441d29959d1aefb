"""The client's address: REMOTE_ADDR, or what a trusted reverse proxy says it received from.

`X-Forwarded-For` and `X-Real-IP` are written by whoever sends the request, so they count only
when the request comes from an address listed in CUNWU_TRUSTED_PROXIES (none by default). Along
`X-Forwarded-For` the client is the rightmost hop that is not itself a trusted proxy: hops to its
left were written by the client and prove nothing. Rate limits, django-axes and the audit log all
ask this one function.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def trusted_networks() -> tuple[Network, ...]:
    """CUNWU_TRUSTED_PROXIES (addresses or CIDR blocks) parsed; invalid entries fail loudly at first use."""
    return _networks(tuple(getattr(settings, "CUNWU_TRUSTED_PROXIES", ())))


def _address(value: str) -> str | None:
    """A bare IP address from a header value, or None for anything else (ports and junk refused)."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def is_trusted(address: str | None, networks: Iterable[Network]) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in net for net in networks)


def client_address(
    remote_addr: str | None, forwarded_for: str, real_ip: str, networks: tuple[Network, ...]
) -> str | None:
    """Pure form of `client_ip`: the address of the nearest hop not run by us."""
    remote = _address(remote_addr or "")
    if remote is None or not is_trusted(remote, networks):
        return remote
    hops = [_address(h) for h in forwarded_for.split(",")] if forwarded_for.strip() else []
    for hop in reversed(hops):
        if hop is None:
            return remote  # a garbled chain: trust none of it
        if not is_trusted(hop, networks):
            return hop
    if hops:
        return hops[0]  # every hop is ours: the leftmost is as close to the client as we know
    return _address(real_ip) or remote


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address for rate limits, lock-outs and the audit log."""
    meta = request.META
    return client_address(
        meta.get("REMOTE_ADDR"),
        meta.get("HTTP_X_FORWARDED_FOR", ""),
        meta.get("HTTP_X_REAL_IP", ""),
        trusted_networks(),
    )
