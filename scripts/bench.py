#!/usr/bin/env python3
"""talkbook benchmark: generate the synthetic corpus and time `talkbook build`.

    python3 scripts/bench.py build [--n 10000] [--runs 3]

Generates N notes with ../shared/bench/gen_corpus.py (once; reused if the
corpus is already there), builds talkbook in release mode, then builds the
corpus: first into an empty output folder ("cold"), then again (RUNS rebuilds,
"warm"). Prints each run's wall time and per-stage timings, the median, and the
peak resident memory of the talkbook process. Standard library only.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TALKBOOK_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
BINARY = os.path.join(REPO, "target", "release", "talkbook")


def corpus(n):
    """The site folder of an N-note corpus, generated if missing."""
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"talkbook-bench-{n}")
    site = os.path.join(out, "ours")
    if not os.path.isfile(os.path.join(out, "corpus-stats.json")) and not os.path.isfile(
        os.path.join(site, "corpus-stats.json")
    ):
        generator = os.path.join(SHARED, "bench", "gen_corpus.py")
        print(f"generating {n} notes with {generator} ...", flush=True)
        subprocess.run([sys.executable, generator, "--n", str(n), "--out", out, "--format", "ours"], check=True,
                       stdout=subprocess.DEVNULL)
    with open(os.path.join(site, "book.toml"), "w") as f:
        f.write('[site]\ntitle = "Benchmark corpus"\nbase-url = "https://bench.example.org/"\n')
    return site


def run_build(site):
    """One `talkbook build`: (wall seconds, peak RSS MiB, stage lines)."""
    start = time.perf_counter()
    proc = subprocess.run([BINARY, "build", "--root", site, "--timings"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stdout}{proc.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stages = [line.strip() for line in proc.stdout.splitlines() if line.startswith("  ")]
    return wall, peak, stages


def bench_build(args):
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    site = corpus(args.n)
    for leftover in ("public", ".public.talkbook-spare"):
        shutil.rmtree(os.path.join(site, leftover), ignore_errors=True)
    walls = []
    for i in range(args.runs + 1):
        wall, peak, stages = run_build(site)
        label = "cold (empty output)" if i == 0 else f"warm rebuild {i}"
        print(f"{label:<22} wall {wall:6.2f} s   [{', '.join(stages)}]", flush=True)
        if i > 0:
            walls.append(wall)
    print(f"N={args.n}: median warm wall {statistics.median(walls):.2f} s, peak memory {peak:.0f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    build = sub.add_parser("build", help="time `talkbook build` on the corpus")
    build.add_argument("--n", type=int, default=10000, help="number of notes (default 10000)")
    build.add_argument("--runs", type=int, default=3, help="warm rebuilds after the cold build (default 3)")
    args = parser.parse_args()
    {"build": bench_build}[args.what](args)


if __name__ == "__main__":
    main()
