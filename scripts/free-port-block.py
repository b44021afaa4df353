#!/usr/bin/env python3
"""free-port-block.py SIZE LOW HIGH [TWIN] — print a base port P (LOW <= P < HIGH, a multiple of
SIZE from LOW) with P..P+SIZE-1 free on 127.0.0.1, and P+TWIN.. too when TWIN is given (SeaweedFS's
gRPC ports). For the local test servers (seaweedfs.sh, slurm-local.sh); keep LOW..HIGH below the
kernel's ephemeral range (32768-60999), where a client's source port could take P before the server
binds it."""
import random
import socket
import sys


def free(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


size, low, high = (int(a) for a in sys.argv[1:4])
twin = int(sys.argv[4]) if len(sys.argv) > 4 else None
rng = random.SystemRandom()
for _ in range(200):
    base = rng.randrange(low, high, size)
    ports = [base + i for i in range(size)]
    if twin is not None:
        ports += [p + twin for p in ports]
    if all(free(p) for p in ports):
        print(base)
        break
else:
    raise SystemExit("no free port block")
