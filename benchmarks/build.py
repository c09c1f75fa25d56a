"""Benchmark: `gpkg build` on synthetic corpora of growing size. Prints each stage's time and the build's peak memory.

    python benchmarks/build.py --decisions 1000 10000 [--reasoner auto] [--seed 1]

Each size is generated with `gpkg synth` into a temporary knowledge root and built in a child process, whose peak
resident memory is read from the kernel (ru_maxrss of the child).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(decisions: int, seed: int, reasoner: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="gpkg-bench-build-") as tmp:
        root, home = Path(tmp) / "knowledge", Path(tmp) / "home"
        subprocess.run([sys.executable, "-m", "gpkg", "synth", "--decisions", str(decisions), "--seed", str(seed),
                        "--out", str(root)], check=True, capture_output=True)
        env = {**os.environ, "GPKG_HOME": str(home), "GPKG_ROOT": str(root)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "gpkg", "build", "--reasoner", reasoner], env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if proc.returncode != 0:
            raise SystemExit(f"build of {decisions} decisions failed:\n{proc.stderr[-2000:]}")
        manifest = json.loads((home / "current" / "manifest.json").read_text())
        return {"decisions": decisions, "triples": manifest["triples"], "reasoner": manifest["reasoner"],
                "wall_s": wall, "peak_mib": max(peak_kib, before) / 1024, **manifest["timings_s"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--reasoner", default="auto", choices=["auto", "hermit", "rules"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    stages = ["parse", "validate", "reason", "index", "dumps", "docs"]
    print(f"{os.cpu_count()} CPUs; reasoner {args.reasoner}; times in seconds; peak = largest child RSS so far")
    print(f"{'decisions':>9} {'triples':>9} {'reasoner':>8} " + " ".join(f"{s:>8}" for s in stages)
          + f" {'total':>8} {'peak MiB':>9}")
    for n in args.decisions:
        r = run(n, args.seed, args.reasoner)
        print(f"{r['decisions']:>9} {r['triples']:>9} {r['reasoner']:>8} "
              + " ".join(f"{r.get(s, 0):>8.2f}" for s in stages) + f" {r['wall_s']:>8.2f} {r['peak_mib']:>9.0f}",
              flush=True)


if __name__ == "__main__":
    main()
