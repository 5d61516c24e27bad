"""Benchmark of the what-if tools (no browser): data tables, goal seek, tornado, demand.

    python benchmarks/bench_domain.py [--out benchmarks/RESULTS_domain.md] [--repeat 30]

Each tool runs on the workbook's "pricing_plan" model (Lạc Thủy oranges sold through Shopee)
and is timed ``--repeat`` times in this one process; the table gives the median and p95 and,
as a ratio measured in the same run, the time against the same number of direct calls of
the model function (what the tool adds on top of the arithmetic). Stops by itself; touches no
network and no file but ``--out``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import coopkit as ck  # noqa: E402
from coopkit import data, demand  # noqa: E402
from coopkit.models import CHANNEL_INPUTS, pricing_plan_inputs  # noqa: E402
from coopkit.whatif import get_model  # noqa: E402


def _inputs() -> dict[str, float]:
    oranges, shopee = data.load_products()["cam_lac_thuy"], data.load_channels()["shopee"]
    plan = oranges.cost_summary()
    return pricing_plan_inputs(shopee, fixed_costs=plan.fixed_costs, list_price=28_000,
                               variable_cost_per_unit=plan.variable_cost_per_unit, volume=oranges.volume_per_season)


def _time(action, repeat: int) -> list[float]:
    action()  # warm-up (imports, caches)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    inputs = _inputs()
    model = get_model("pricing_plan")
    prices = [10_000 + 400 * i for i in range(50)]
    volumes = [80_000 + 3_000 * i for i in range(50)]
    channel = ck.Channel("x", "x", "x", **{k: inputs[k] for k in CHANNEL_INPUTS})
    eggs = {"fixed_costs": 610e6, "price_per_unit": 2_800, "variable_cost_per_unit": 2_067, "volume": 1_095_000}
    egg_prices = [2_000 + 40 * i for i in range(50)]
    curve = demand.fit_demand([22_000, 28_000, 34_000], [200_000, 160_000, 110_000])

    def direct(n: int):
        def run():
            for i in range(n):
                model.function({**inputs, "list_price": prices[i % 50], "volume": volumes[i // 50 % 50]})
        return run

    cases = [
        ("2-D data table 50 × 50 (price × volume → profit, on arrays)", 2_500,
         lambda: ck.data_table("pricing_plan", inputs, {"list_price": prices, "volume": volumes}, output="profit")),
        ("2-D data table 50 × 50, break-even model (cell by cell, no array version)", None,
         lambda: ck.data_table("break_even", eggs, {"price_per_unit": egg_prices, "volume": volumes}, output="profit")),
        ("1-D data table, 50 prices, all outputs", 50,
         lambda: ck.data_table("pricing_plan", inputs, {"list_price": prices})),
        ("goal seek: price for 500 million profit", None,
         lambda: ck.goal_seek("pricing_plan", inputs, "list_price", "profit", 500e6)),
        ("tornado, 11 inputs ± 20 %", 22, lambda: ck.whatif.tornado("pricing_plan", inputs, "profit")),
        ("spider, 11 inputs × 5 changes", 55, lambda: ck.whatif.spider("pricing_plan", inputs, "profit")),
        ("demand fit (3 sales) + best price + price curve", None,
         lambda: (demand.best_price(demand.fit_demand([22_000, 28_000, 34_000], [200_000, 160_000, 110_000]),
                                    channel, fixed_costs=inputs["fixed_costs"],
                                    variable_cost_per_unit=inputs["variable_cost_per_unit"],
                                    capacity=inputs["volume"]),
                  demand.price_response(curve, channel, fixed_costs=inputs["fixed_costs"],
                                        variable_cost_per_unit=inputs["variable_cost_per_unit"],
                                        capacity=inputs["volume"]))),
    ]
    rows = []
    for name, calls, action in cases:
        times = _time(action, args.repeat)
        ratio = "–"
        if calls:
            base = statistics.median(_time(direct(calls), args.repeat))
            ratio = f"{statistics.median(times) / base:.2f}"
        rows.append(f"| {name} | {statistics.median(times):,.1f} ms | {_p95(times):,.1f} ms | {ratio} |")
        print(rows[-1], flush=True)

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    text = "\n".join([
        "# coopkit what-if tools benchmark",
        "",
        f"Machine: {cpu}, {len(__import__('os').sched_getaffinity(0))} cores, Python {platform.python_version()}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Model `pricing_plan` (Lạc Thủy oranges on Shopee); "
        f"{args.repeat} runs each after one warm-up.",
        "",
        "`× direct` is the median time against the same number of direct calls of the model function,",
        "measured in the same run: what the tool adds on top of the arithmetic.",
        "",
        "| tool | median | p95 | × direct |",
        "|---|---:|---:|---:|",
        *rows,
        "",
    ])
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
