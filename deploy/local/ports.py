"""Free loopback ports for a cluster-form run of deploy/local/run.

The runner lays its ports out from three numbers: six Redis nodes on
redis_port..redis_port+5 (cluster bus +10000), two replicas of five gRPC
services on base + i + 10*r (their metrics ports 100 higher, the gateway's
metrics on base + 109), and the gateway on http_port. pick_ports()
finds numbers for which every one of those ports is free now.
"""
import random
import socket


def free(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def pick_ports():
    """(redis_port, base, http_port), all below the ephemeral range (32768+)
    so that no client connection can take one between the check and the bind."""
    for _ in range(500):
        r, b = random.randrange(20000, 22700), random.randrange(10000, 19000)
        h = b + 30
        ports = [r + i for i in range(6)] + [r + 10000 + i for i in range(6)] + \
                [b + i + 10 * k + m for i in range(5) for k in range(2) for m in (0, 100)] + \
                [b + 109, h]
        if all(free(p) for p in ports):
            return r, b, h
    raise RuntimeError("no free ports")


def pick_single_ports():
    """(redis_port, base, http_port) for the single-node runner: Redis, the
    five gRPC ports base..base+4, their metrics ports base+100..base+104, the
    gateway's metrics port base+109 and the gateway, all free now and below
    the ephemeral range."""
    for _ in range(500):
        r, b, h = (random.randrange(20000, 30000), random.randrange(10000, 19000),
                   random.randrange(30000, 32000))
        ports = [r, h] + [b + i + m for i in range(5) for m in (0, 100)] + [b + 109]
        if all(free(p) for p in ports):
            return r, b, h
    raise RuntimeError("no free ports")

