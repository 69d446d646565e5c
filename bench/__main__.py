"""`python -m bench [--size full|small|tiny] [--out PATH]`: run the benchmarks (see README)."""

import argparse
import os
from pathlib import Path

import django


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", default=os.environ.get("BENCH_SIZE", "full"),
                        choices=["full", "small", "tiny"])
    parser.add_argument("--out", type=Path, default=None, help="default: var/bench/report.json")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn + wrk measures")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only this measure (its function's name, or load_measures, live_fanout "
                             "or edge_measures; repeatable)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from bench.run import run

    run(args.size, out=args.out, load=not args.no_load and not args.only, only=args.only)


if __name__ == "__main__":
    main()
