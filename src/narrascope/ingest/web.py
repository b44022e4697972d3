"""Fetching pages and feeds over HTTP, safely: no private networks unless allowed, bounded size
and time, redirects checked one by one."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from narrascope.errors import InputError

MAX_REDIRECTS = 5
USER_AGENT = "narrascope/0.1 (+https://github.com/narrascope)"


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False
    max_bytes: int = 5_000_000
    timeout: float = 20.0


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str

    def text(self) -> str:
        charset = "utf-8"
        if "charset=" in self.content_type:
            charset = self.content_type.split("charset=", 1)[1].split(";")[0].strip("\"' ")
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
        or ip.is_multicast or ip.is_unspecified
    )


def check_url(url: str, policy: FetchPolicy) -> None:
    """Refuse non-HTTP schemes, and hosts in private networks unless the policy allows them."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(url, "only http:// and https:// URLs can be fetched")
    if policy.allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise InputError(url, f"cannot resolve host {parts.hostname!r}: {exc.strerror}") from exc
    for info in infos:
        address = str(info[4][0])
        if not _is_public(address):
            raise InputError(
                url,
                f"refused: {parts.hostname} resolves to the private or local address {address}; "
                "pass --allow-private to fetch from private networks",
            )


def fetch(url: str, policy: FetchPolicy, client: httpx.Client) -> Fetched:
    """GET `url`, following at most MAX_REDIRECTS redirects, each one checked like the first."""
    current = url
    # httpx's timeout bounds each network operation; a server that drips bytes slowly would pass
    # every one of them, so the whole exchange gets a deadline too.
    deadline = time.monotonic() + policy.timeout
    for _ in range(MAX_REDIRECTS + 1):
        check_url(current, policy)
        try:
            with client.stream("GET", current, follow_redirects=False) as response:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise InputError(url, f"redirect from {current} without a Location")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise InputError(url, f"HTTP {response.status_code} from {current}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                    raise InputError(url, _too_big(int(declared), policy))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > policy.max_bytes:
                        raise InputError(url, _too_big(len(body), policy))
                    if time.monotonic() > deadline:
                        raise InputError(url, f"timed out after {policy.timeout:g} s")
                return Fetched(current, bytes(body), response.headers.get("content-type", ""))
        except httpx.TimeoutException as exc:
            raise InputError(url, f"timed out after {policy.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise InputError(url, f"cannot fetch: {exc}") from exc
    raise InputError(url, f"more than {MAX_REDIRECTS} redirects")


def _too_big(size: int, policy: FetchPolicy) -> str:
    return f"response is over {policy.max_bytes:,} bytes (at least {size:,}); raise --max-bytes"


def make_client(policy: FetchPolicy, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(policy.timeout),
        headers={"User-Agent": USER_AGENT},
        transport=transport,
        trust_env=False,
    )
