"""Run callables at the same instant on their own database connections."""

import threading

from django.db import connections


def race(*calls):
    """Start every call together (a Barrier) in its own thread; return their results.

    A call that raises returns its exception, so the test asserts which one won
    and how the others were refused.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # surfaced to the test through the results
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
