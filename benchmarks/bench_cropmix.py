"""Benchmark of the crop-mix solver (no browser): a 10-crop plan solved by `best_crop_mix`.

    python benchmarks/bench_cropmix.py [--repeat 200]

The plan: ten crops (the six Sơn La crops of `coopkit.cropmix.son_la_example` and four more
made from them with other prices, labour calendars and largest areas, from a seeded generator),
twelve labour months, land, working capital and the coffee contract. Each run is one full
`best_crop_mix` call (checks, HiGHS, shadow prices and the result); the first call (scipy import)
is left out. Prints one markdown table row (median and p95 in ms, against a 20 ms target) and
stops by itself; touches no network and no file.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from coopkit.cropmix import best_crop_mix, son_la_example  # noqa: E402

TARGET_MS = 20.0


def ten_crops(seed: int = 7):
    """The six Sơn La crops and four variants of them (seeded), and a farm of 80 ha."""
    rng = np.random.default_rng(seed)
    crops, farm = son_la_example()
    extra = []
    for i in range(4):
        base = crops[i % len(crops)]
        labour = tuple(float(d) for d in rng.permutation(base.labour_days_per_month))
        extra.append(replace(base, key=f"{base.key}_{i}", name_vi=f"{base.name_vi} {i + 2}",
                             name_en=f"{base.name_en} {i + 2}", price_per_kg=base.price_per_kg * rng.uniform(0.8, 1.2),
                             labour_days_per_month=labour, max_area_ha=float(rng.integers(5, 20)), min_output_kg=0.0))
    return crops + tuple(extra), replace(farm, land_ha=80.0, working_capital=5e9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    crops, farm = ten_crops()
    mix = best_crop_mix(crops, farm)  # warm-up: imports scipy.optimize
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        best_crop_mix(crops, farm)
        times.append((time.perf_counter() - start) * 1e3)
    ordered = sorted(times)
    median, p95 = statistics.median(times), ordered[max(0, round(0.95 * len(ordered)) - 1)]
    planted = sum(1 for a in mix.areas_ha if a > 0)
    print("| case | crops | limits | runs | median ms | p95 ms | target ms | ok | machine |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| best_crop_mix, 10 crops ({planted} planted, {len(mix.binding)} binding) | {len(crops)} | {len(mix.limits)} "
          f"| {args.repeat} | {median:.2f} | {p95:.2f} | {TARGET_MS:.0f} | {'yes' if median < TARGET_MS else 'NO'} "
          f"| {platform.python_implementation()} {platform.python_version()}, {platform.machine()} |")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
