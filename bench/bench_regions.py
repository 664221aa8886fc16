"""Import of the whole Kemendagri tree (91,599 regions): first load and idempotent rerun.

Goal from the foundation issue: "in seconds". Prints both timings and the ratio of the
rerun to the first load.
"""

from __future__ import annotations

import time

from _django import setup

vendor = setup()

from padu.organizations.regions_import import import_regions, read_regions  # noqa: E402


def main() -> None:
    started = time.perf_counter()
    rows = read_regions()
    parsed = time.perf_counter() - started
    first = import_regions(rows)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = import_regions(read_regions())
    rerun_s = time.perf_counter() - started
    print(
        f"{vendor} regions: {first.created} created in {first_s:.2f} s (parse {parsed:.2f} s); "
        f"rerun {again.unchanged} unchanged, {again.created} created in {rerun_s:.2f} s "
        f"(ratio rerun/first {rerun_s / first_s:.2f}; goal: seconds, not minutes)"
    )


if __name__ == "__main__":
    main()
