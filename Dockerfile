# Production image: gunicorn serves the app, whitenoise serves static files.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# gunicorn: 3 processes x 4 threads on 2 cores, app preloaded, each process
# replaced after ~1,000 requests (config/gunicorn.py, docs/performance.md).
ENV WEB_CONCURRENCY=3 GUNICORN_THREADS=4
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput
RUN useradd --create-home handover && mkdir -p /app/var && chown -R handover /app/var
USER handover
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
