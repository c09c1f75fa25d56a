"""Benchmark: `gpkg build` on the real corpus and on synthetic corpora of growing size. For each it prints the
stage times of a cold build (empty cache), the peak memory of the build's process tree and of each of its processes
(the build itself: parse, the merged store, rules, dumps; validation; the store writer; HermiT; pyLODE), and the wall
time of two rebuilds: nothing changed, and one case file edited. Cold builds and edits run --repeat times: the
medians are printed, and each run's time.

    python benchmarks/build.py [--decisions 12000 120000] [--reasoner rules] [--seed 1] [--repeat 3]

Each corpus is built in a child process into a temporary GPKG_HOME; memory is sampled from /proc every 0.2 s over
the build and its workers (role_rss).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load_clients import PAGE, process_children

REPO = Path(__file__).resolve().parent.parent
STAGES = ["parse", "validate", "index", "reason", "dumps", "docs"]


ROLES = ("main", "validation", "store writer", "HermiT", "pyLODE")  # the build's processes, by what they run


def role_rss(pid: int) -> dict[str, int]:
    """Resident bytes of a build's process tree by role: the build itself (parse, the merged store, rules, dumps), its
    validation process and that one's pyshacl workers, the store writer (named by the build: "gpkg validate",
    "gpkg store"), HermiT (java) and pyLODE."""
    tree, found = process_children(), dict.fromkeys(ROLES, 0)
    todo = [(pid, "main")]
    while todo:
        p, parent_role = todo.pop()
        try:
            rss = int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
            command = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            name = Path(f"/proc/{p}/comm").read_text().strip()
        except (OSError, IndexError, ValueError):
            continue
        if p == pid:
            role = "main"
        elif "resource_tracker" in command:
            continue
        elif "java" in command:
            role = "HermiT"
        elif "pylode" in command:
            role = "pyLODE"
        elif name == "gpkg store":
            role = "store writer"
        elif name == "gpkg validate":
            role = "validation"
        else:
            role = parent_role
        found[role] += rss
        todo.extend((child, role) for child in tree.get(p, ()))
    return found


def timed_build(root: Path, home: Path, reasoner: str) -> tuple[float, dict, dict]:
    """Wall seconds, peak bytes (of the whole tree, "total", and of each role) and manifest of one `gpkg build`."""
    env = {**os.environ, "GPKG_HOME": str(home), "GPKG_ROOT": str(root)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "gpkg", "build", "--reasoner", reasoner], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = dict.fromkeys(("total", *ROLES), 0)
    sampler_done = threading.Event()

    def sample() -> None:
        while not sampler_done.wait(0.2):
            now = role_rss(proc.pid)
            now["total"] = sum(now.values())
            for role, rss in now.items():
                peak[role] = max(peak[role], rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    sampler_done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"build of {root} failed:\n{err[-2000:]}")
    return wall, peak, json.loads((home / "current" / "manifest.json").read_text())


def edit_one_case(root: Path) -> None:
    case = sorted((root / "data" / "cases").glob("*.ttl"))[len(list((root / "data" / "cases").glob("*.ttl"))) // 2]
    case.write_text(case.read_text(encoding="utf-8") + f"\n# edited {time.time()}\n", encoding="utf-8")


def run(label: str, root: Path, homes: Path, reasoner: str, repeat: int) -> dict:
    """`repeat` cold builds (each into an empty GPKG_HOME) and `repeat` rebuilds after an edit: medians (this machine's
    timings vary by 10-15 % between runs), each run's figure, and the largest peak memory."""
    colds = sorted((timed_build(root, homes / f"cold-{i}", reasoner) for i in range(repeat)), key=lambda run: run[0])
    wall, _, manifest = colds[len(colds) // 2]
    peak = {role: max(run[1][role] for run in colds) for role in ("total", *ROLES)}
    home = homes / "cold-0"
    unchanged, _, _ = timed_build(root, home, reasoner)
    edits = []
    for _ in range(repeat):
        edit_one_case(root)
        edits.append(timed_build(root, home, reasoner))
    edited, _, after = sorted(edits, key=lambda run: run[0])[len(edits) // 2]
    return {"corpus": label, "triples": manifest["triples"], "wall_s": wall, "peak_mib": peak["total"] / 2**20,
            "peaks_mib": {role: peak[role] / 2**20 for role in ROLES}, "colds_s": [run[0] for run in colds],
            "edits_s": [run[0] for run in edits], "unchanged_s": unchanged, "edited_s": edited,
            "edit_checked": after["validation"]["checked_files"] + after["validation"].get("cleared_files", 0),
            **manifest["timings_s"]}


def real_root(tmp: Path) -> Path:
    root = tmp / "real"
    for part in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(REPO / part, root / part)
    return root


def synthetic_root(tmp: Path, decisions: int, seed: int) -> Path:
    root = tmp / f"synth-{decisions}"
    subprocess.run([sys.executable, "-m", "gpkg", "synth", "--decisions", str(decisions), "--seed", str(seed),
                    "--out", str(root)], check=True, capture_output=True)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, nargs="*", default=[12_000, 120_000],
                        help="Synthetic sizes (about 83 triples per decision: 12,000 is about 1M triples).")
    parser.add_argument("--reasoner", default="rules", choices=["rules", "hermit"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="Cold builds and edits per corpus (medians are printed).")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB; reasoner {args.reasoner}; "
          "seconds; cold = empty cache; peak = largest RSS of the build's process tree")
    header = (f"{'corpus':>14} {'triples':>10} " + " ".join(f"{s:>8}" for s in STAGES)
              + f" {'cold':>8} {'peak MiB':>9} {'unchanged':>9} {'1 edit':>7} {'rechecked':>9}")
    print(header, flush=True)
    with tempfile.TemporaryDirectory(prefix="gpkg-bench-build-") as tmp:
        corpora = [("real", lambda: real_root(Path(tmp)))]
        corpora += [(f"synth {n:,}", lambda n=n: synthetic_root(Path(tmp), n, args.seed)) for n in args.decisions]
        for label, make in corpora:
            root = make()
            r = run(label, root, Path(tmp) / f"homes-{label.replace(' ', '-')}", args.reasoner, args.repeat)
            print(f"{r['corpus']:>14} {r['triples']:>10} " + " ".join(f"{r.get(s, 0):>8.2f}" for s in STAGES)
                  + f" {r['wall_s']:>8.2f} {r['peak_mib']:>9.0f} {r['unchanged_s']:>9.2f} {r['edited_s']:>7.2f}"
                  f" {r['edit_checked']:>9}", flush=True)
            print(f"{'':>14} peak MiB by process: " + ", ".join(f"{role} {mib:.0f}" for role, mib in r["peaks_mib"].items()),
                  flush=True)
            print(f"{'':>14} each run: cold " + ", ".join(f"{x:.2f}" for x in r["colds_s"])
                  + "; 1 edit " + ", ".join(f"{x:.2f}" for x in r["edits_s"]), flush=True)
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
