# Production image: gunicorn serving mentorship.wsgi; the same image runs the Celery worker and beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that code changes reuse this layer. Every pin carries its hashes.
COPY requirements/prod.lock requirements/prod.lock
RUN pip install --require-hashes --no-deps -r requirements/prod.lock

COPY . .

# Static files are collected (and compressed, hashed by whitenoise) at build time; the key is a
# placeholder that exists only in this build step.
RUN SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home-dir /app --no-create-home app \
    && mkdir -p /app/media \
    && chown app:app /app/media

USER app
EXPOSE 8000
CMD ["gunicorn", "mentorship.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
