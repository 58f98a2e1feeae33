"""gunicorn settings (``gunicorn -c config/gunicorn.py config.wsgi:application``).

The access log masks token-looking path parts and query values (emailed
personal links, password reset keys, calendar feeds): see common/logging.py.
"""

import os

bind = "0.0.0.0:8000"
# Sized for a 2-core host with PostgreSQL beside it (docs/performance.md, the
# load benchmark): 3 processes x 4 threads. A process runs Python on one core
# at a time (the GIL), so processes = cores + 1 keeps both cores busy while one
# process waits; threads overlap each request's database and cache waits; more
# processes only add memory and contention for the two cores. Each thread keeps
# its own database connection (CONN_MAX_AGE), so PostgreSQL sees workers x
# threads connections per web host (12 here).
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Import the app once in the master and fork: workers start in a moment and
# share the loaded code's memory. Django opens database connections lazily, in
# the workers, so none is shared across the fork.
preload_app = True
# Processes are not replaced after a number of requests by default: the gthread
# worker (gunicorn 23) drops connections it accepted in the moment it stops for
# max_requests, so each replacement reset a request (gunicorn issue #3038; the
# load test saw it). Set GUNICORN_MAX_REQUESTS (e.g. 1000, jittered by a tenth)
# if a process's memory grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Heartbeat files on tmpfs where there is one (containers), not on a disk that
# can stall under load and get busy workers killed as "timed out".
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
timeout = 30
keepalive = 5
accesslog = "-"
logger_class = "common.logging.GunicornLogger"
# Client, time, request line (masked), status, size, duration (µs), request id.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)s %({x-request-id}o)s'
