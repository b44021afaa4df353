#!/usr/bin/env python3
"""Runs a command and prints `status peak_mb user_s sys_s wall_s` for it alone.

The command is spawned from this small parent, not from the shell that runs the benchmark: the
kernel carries a process's peak RSS across fork and exec, so a child of a big process reports at
least its parent's size. usage: measure.py STDIN STDOUT STDERR -- COMMAND...
"""
import resource
import subprocess
import sys
import time

stdin_path, stdout_path, stderr_path = sys.argv[1:4]
assert sys.argv[4] == "--"
with open(stdin_path, "rb") as stdin, open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
    start = time.monotonic()
    status = subprocess.call(sys.argv[5:], stdin=stdin, stdout=out, stderr=err)
    wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{status} {usage.ru_maxrss / 1024:.1f} {usage.ru_utime:.2f} {usage.ru_stime:.2f} {wall:.2f}")
