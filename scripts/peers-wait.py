#!/usr/bin/env python3
"""peers-wait.py LOG MARKER GO LIMIT_MS

scripts/bench-peers.sh's start-up clock. Started before the tool, so that its own start-up is not
counted: it creates GO.ready, then waits for GO, a file holding the tool's pid and the Unix time it
was started at (bash's $EPOCHREALTIME). Then, until the tool writes the marker's name into LOG, it
execs MARKER every 2 ms, and prints "found MS", the milliseconds since the tool was started; "died"
when the tool ends first, "timeout" after LIMIT_MS. A shell loop (grep, then sleep 0.02) gave 20 ms
steps; this one gives about 3: a marker's spawn and exit, and the sleep.
"""
import os
import sys
import time

log, marker, go, limit_ms = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
open(go + ".ready", "w").close()
deadline = time.time() + 60  # the script that started this clock has gone
while not os.path.exists(go):
    if time.time() > deadline:
        print("no tool started")
        sys.exit(1)
    time.sleep(0.0002)
with open(go) as started:
    pid_text, start_text = started.read().split()
pid, start = int(pid_text), float(start_text)
name = os.path.basename(marker).encode()
tail = b""  # the end of what was read, in case a read splits the name
offset = 0
while True:
    try:
        with open(log, "rb") as output:
            output.seek(offset)
            data = output.read()
    except FileNotFoundError:
        data = b""
    offset += len(data)
    if name in tail + data:
        print(f"found {round((time.time() - start) * 1000)}")
        break
    tail = (tail + data)[-len(name):]
    try:  # gone, or ended and not yet reaped by the shell that started it
        with open(f"/proc/{pid}/stat", "rb") as stat:
            ended = stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except FileNotFoundError:
        ended = True
    if ended:
        print("died")
        break
    if (time.time() - start) * 1000 > limit_ms:
        print("timeout")
        break
    os.waitpid(os.posix_spawn(marker, [marker], os.environ), 0)
    time.sleep(0.002)
