"""Time and memory of `import paved` in Python, the jsii runtime's Node process included.

    python3 bench/tools/python-import.py <venv> [runs=5]

The venv holds the paved wheel (see `.ci/run python`). Each run is a fresh
interpreter doing `import paved`; CPU is user + system time of the
interpreter and of its children (the Node process jsii starts), from
wait4(); peak RSS is the largest sum of the resident memory of the
interpreter and all its descendants, sampled every 20 ms. Prints the
medians (CPU time is what counts on a loaded machine).
"""
import json
import os
import statistics
import subprocess
import sys
import time


def tree(pid):
    """pid and all its descendants."""
    children = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/stat') as f:
                    ppid = int(f.read().rsplit(')', 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except OSError:
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def rss_kb(pid):
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(python):
    start = time.monotonic()
    proc = subprocess.Popen([python, '-c', 'import paved'])
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid != 0:
            break
        peak = max(peak, sum(rss_kb(p) for p in tree(proc.pid)))
        time.sleep(0.02)
    if status != 0:
        raise SystemExit(f'import paved failed ({status})')
    return {'wall': time.monotonic() - start, 'cpu': usage.ru_utime + usage.ru_stime, 'peakRssMb': peak / 1024}


def main():
    venv = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    samples = [run(os.path.join(venv, 'bin', 'python')) for _ in range(runs)]
    print(json.dumps({key: round(statistics.median(s[key] for s in samples), 2) for key in samples[0]} | {'runs': runs}))


main()
