"""Benchmark of the Monte Carlo profit simulation against a plain Python loop of the same model.

    python benchmarks/bench_risk.py [--draws 100000] [--repeat 20] [--out FILE]

The model is the risk workbook's example (Sơn La coffee: PERT volume, price and variable
cost, fixed costs) with the summary the app shows (mean, P10/P50/P90, probability of a loss).
`coopkit.risk.simulate_profit` is timed ``--repeat`` times (median); the loop (Python's
``random.betavariate`` per draw, then ``statistics.quantiles``) is timed three times
(median). Prints one markdown table row with both times and the ratio, measured in this one
run; checks the targets (< 50 ms, ≥ 50× faster) and exits 1 when one is missed. Stops by itself;
no network, no file but ``--out``.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from coopkit import risk  # noqa: E402

VOLUME = (28_000.0, 32_000.0, 34_000.0)
PRICE = (95_000.0, 115_000.0, 150_000.0)
COST = (96_000.0, 101_625.0, 108_000.0)
FIXED = 354e6


def numpy_run(draws: int) -> risk.RiskSummary:
    return risk.simulate_profit(PRICE, COST, volume=VOLUME, fixed_costs=FIXED, draws=draws, seed=1).summary


def _pert(rng: random.Random, low: float, mode: float, high: float) -> float:
    span = high - low
    return low + span * rng.betavariate(1 + 4 * (mode - low) / span, 1 + 4 * (high - mode) / span)


def loop_run(draws: int) -> tuple[float, float, float, float, float]:
    """The same model, one season at a time."""
    rng = random.Random(1)
    profits = []
    for _ in range(draws):
        volume = _pert(rng, *VOLUME)
        price = _pert(rng, *PRICE)
        cost = _pert(rng, *COST)
        profits.append(volume * (price - cost) - FIXED)
    p10, p50, p90 = (statistics.quantiles(profits, n=10, method="inclusive")[i] for i in (0, 4, 8))
    return sum(profits) / draws, p10, p50, p90, sum(p < 0 for p in profits) / draws


def _median_ms(action, repeat: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    fast = numpy_run(args.draws)
    slow = loop_run(args.draws)
    # same model: the two estimates agree within Monte Carlo error
    assert abs(fast.mean_profit - slow[0]) < 6 * fast.std_profit / args.draws**0.5, (fast.mean_profit, slow[0])
    assert abs(fast.probability_of_loss - slow[4]) < 0.01, (fast.probability_of_loss, slow[4])

    numpy_ms = _median_ms(lambda: numpy_run(args.draws), args.repeat)
    loop_ms = _median_ms(lambda: loop_run(args.draws), 2)
    ratio = loop_ms / numpy_ms
    header = "| draws | numpy (median ms) | Python loop (median ms) | ratio | machine |\n|---|---|---|---|---|"
    row = (f"| {args.draws:,} | {numpy_ms:.1f} | {loop_ms:.0f} | {ratio:.0f}× | "
           f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()} |")
    print(header)
    print(row)
    ok = numpy_ms < 50 and ratio >= 50
    print(f"targets: < 50 ms {'met' if numpy_ms < 50 else 'MISSED'}; ≥ 50× {'met' if ratio >= 50 else 'MISSED'}")
    if args.out:
        args.out.write_text(header + "\n" + row + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
