"""Import time of libraries built on LiteLLM, with LiteLLM and with llmrelay
serving `import litellm` (install_as_litellm()), in one run.

    python3 bench/python_libraries.py --python PY [--runs N]

PY is an interpreter with llmrelay, litellm==1.110.2, dspy and smolagents
installed (bench/python_libraries.sh prepares one). For each library the
figure is a fresh process doing `import <library>; import litellm` (the
library plus what its LiteLLM code path loads), over bare `python -c pass`,
median of N interleaved runs. Standard library only.
"""

import argparse
import os
import statistics
import subprocess
import time

LIBRARIES = ["dspy", "smolagents"]
WITH_LITELLM = "import {lib}; import litellm"
WITH_LLMRELAY = "import llmrelay; llmrelay.install_as_litellm(); import {lib}; import litellm; assert litellm is llmrelay"


def wall(python, code):
    start = time.perf_counter()
    subprocess.run([python, "-c", code], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    print("%-12s %14s %14s %8s" % ("library", "with LiteLLM", "with llmrelay", "ratio"))
    for lib in LIBRARIES:
        peer, ours = [], []
        for _ in range(args.runs):
            bare = wall(args.python, "pass")
            peer.append(wall(args.python, WITH_LITELLM.format(lib=lib)) - bare)
            ours.append(wall(args.python, WITH_LLMRELAY.format(lib=lib)) - bare)
        p, o = statistics.median(peer), statistics.median(ours)
        print("%-12s %11.0f ms %11.0f ms %7.2fx" % (lib, p * 1e3, o * 1e3, p / o))
    print("(medians of %d interleaved fresh processes, over bare python)" % args.runs)


if __name__ == "__main__":
    main()
