"""Time from process start to the first served request, and idle RSS.

usage: startup.py PORT BODY_JSON AUTH -- COMMAND...

Spawns COMMAND, then POSTs BODY_JSON to http://127.0.0.1:PORT/v1/chat/completions
as fast as it can until one answers 200; prints JSON with the milliseconds from
spawn to that answer and the process's RSS one second later. The process is
left running (its pid is printed) for the load runs that follow.
"""

import http.client
import json
import subprocess
import sys
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    port = int(sys.argv[1])
    body = sys.argv[2]
    auth = sys.argv[3]
    command = sys.argv[sys.argv.index("--") + 1 :]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + 120
    while time.perf_counter() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/v1/chat/completions", body,
                         {"content-type": "application/json", "authorization": "Bearer " + auth})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                break
        except OSError:
            time.sleep(0.0005)
    else:
        proc.kill()
        sys.exit("the server never answered")
    first_ms = (time.perf_counter() - started) * 1000
    time.sleep(1)
    print(json.dumps({"pid": proc.pid, "first_request_ms": round(first_ms, 1),
                      "idle_rss_mib": round(rss_kib(proc.pid) / 1024, 1)}))


main()
