"""A/B of one setting on the same fakes, the two sides interleaved (a shared machine's load
changes by the minute): ``python -m bench.ab RPA_KEEP_TABS_FOR 0 25 --latency 0 --requests 6``.
Prints one JSON line per scenario (``bench.run.run_scenario``'s measures). Numbers, not asserts."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.run import Sites, run_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variable")
    parser.add_argument("values", nargs="+")
    parser.add_argument("--latency", type=int, default=0)
    parser.add_argument("--client-delay-ms", type=int, default=0)
    parser.add_argument("--requests", type=int, default=6)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    sites = Sites()
    try:
        with tempfile.TemporaryDirectory(prefix="rpa-ab-") as tmp:
            for round_ in range(args.rounds):
                for side, value in enumerate(args.values):
                    work = Path(tmp) / f"{round_}-{side}"  # a value may be a path
                    work.mkdir()
                    r = run_scenario(sites, args.requests, args.workers, args.latency, work,
                                     client_delay_ms=args.client_delay_ms, extra_env={args.variable: value})
                    print(json.dumps({args.variable: value, **r}), flush=True)
    finally:
        sites.stop()


if __name__ == "__main__":
    main()
