"""gunicorn settings (``gunicorn -c config/gunicorn.py config.wsgi:application``).

The access log masks token-looking path parts and query values (emailed
personal links, password reset keys, calendar feeds): see common/logging.py.
"""

import os

bind = "0.0.0.0:8000"
# Sized for a 2-core host with PostgreSQL beside it (docs/performance.md, the
# load benchmark): 3 processes x 4 threads. Requests mostly wait on the
# database, so threads overlap that wait; more processes only add memory and
# contention for the two cores. Each thread keeps its own database connection
# (CONN_MAX_AGE), so PostgreSQL sees workers x threads connections per web host.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
keepalive = 5
accesslog = "-"
logger_class = "common.logging.GunicornLogger"
# Client, time, request line (masked), status, size, duration (µs), request id.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)s %({x-request-id}o)s'
