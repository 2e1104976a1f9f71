"""Runs a command and prints its peak resident memory: `python3 peak_rss.py cmd args...`.

The command's own output passes through; the last line of stderr is `{"peak_rss_mb": N}`.
"""
import json
import resource
import subprocess
import sys

code = subprocess.call(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"peak_rss_mb": peak}), file=sys.stderr)
sys.exit(code)
