"""A hosts file for test subprocesses: put this directory on PYTHONPATH and name a file in
``$EDITWATCH_TEST_HOSTS`` (lines ``name address``).

Names listed there resolve to their address; every other name goes to the real resolver.
The fault suite lists a name while its site is healthy and removes it to make the host
unresolvable (a ``.invalid`` name, which no real resolver knows), like a DNS outage.
"""

import os
import socket

_HOSTS = os.environ.get("EDITWATCH_TEST_HOSTS")


def _lookup(name):
    try:
        with open(_HOSTS) as hosts:
            for line in hosts:
                parts = line.split()
                if len(parts) == 2 and parts[0] == name:
                    return parts[1]
    except OSError:
        pass
    return None


if _HOSTS:
    _real_getaddrinfo = socket.getaddrinfo
    _real_gethostbyname = socket.gethostbyname

    def getaddrinfo(host, *args, **kwargs):
        address = _lookup(host) if isinstance(host, str) else None
        return _real_getaddrinfo(address or host, *args, **kwargs)

    def gethostbyname(name):
        return _lookup(name) or _real_gethostbyname(name)

    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
