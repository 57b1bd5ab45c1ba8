"""A real matching worker in a process of its own, for the fault tests (they SIGKILL it):

    GANDENG_TEST_CONFIG='{...app settings...}' python -m tests.integration.worker_process [--burst]

It runs gandeng.proposals.jobs.work() like `flask worker`. With SLOW_MATCHING_S set, the engine
step first sleeps that long, so that a test can kill the worker while a run is `matching`."""
import json
import os
import sys
import time


def main() -> None:
    slow = float(os.environ.get("SLOW_MATCHING_S") or 0)
    if slow:
        import gandeng.matching

        real = gandeng.matching.run_matching

        def slow_matching(*args, **kwargs):
            time.sleep(slow)
            return real(*args, **kwargs)

        gandeng.matching.run_matching = slow_matching
    from gandeng.factory import create_app
    from gandeng.proposals import jobs

    app = create_app(json.loads(os.environ["GANDENG_TEST_CONFIG"]))
    with app.app_context():
        jobs.work(burst="--burst" in sys.argv)


if __name__ == "__main__":
    main()
