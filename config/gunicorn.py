"""gunicorn settings (``gunicorn -c config/gunicorn.py config.wsgi:application``).

The access log masks token-looking path parts and query values (emailed
personal links, password reset keys, calendar feeds): see common/logging.py.
"""

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
logger_class = "common.logging.GunicornLogger"
# Client, time, request line (masked), status, size, duration (µs), request id.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)s %({x-request-id}o)s'
