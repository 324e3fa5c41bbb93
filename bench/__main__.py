"""`make bench`: run every benchmark and print its figures.

Each module exposes `run() -> list[str]`; a failing or missing benchmark prints why and the rest
still run. Figures are printed, never asserted: speed is measured here, not in tests.
"""

import importlib
import os
import sys
import time
import traceback

BENCHES = [
    ("1C connector: one document set against the 1C sandbox", "bench.onec_bench"),
    ("DOCX → PDF conversion (warm LibreOffice)", "bench.convert_bench"),
    ("Wizard: server time per step, Bitrix24 requests to open the tab", "bench.wizard_bench"),
    ("Generation pipeline: latency, throughput, requests per set", "bench.pipeline_bench"),
    ("Back-sync: one poll over 1 000 invoices and 500 payments", "bench.backsync_bench"),
]


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b24app.settings_bench")
    import django

    django.setup()
    from django.db import connection

    # A throwaway database (test_<name>), like the test runner's: benchmarks never touch the
    # developer's data.
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return _run_all(set(argv))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run_all(only: set[str]) -> int:
    failures = 0
    for title, module_name in BENCHES:
        if only and module_name.rsplit(".", 1)[-1] not in only:
            continue
        print(f"\n== {title} ({module_name})", flush=True)
        started = time.perf_counter()
        try:
            for line in importlib.import_module(module_name).run():
                print(f"   {line}", flush=True)
        except Exception:
            failures += 1
            traceback.print_exc()
        print(f"   (took {time.perf_counter() - started:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
