# The production image: gunicorn serving kos_platform.wsgi, static files through whitenoise.
# The same image runs the migrate one-shot, the Celery worker and beat (see docker-compose.yml).

# --- front-end assets: bootstrap, htmx, echarts from npm (never from a CDN) ---
FROM python:3.11-slim AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- the application ---
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=kos_platform.settings.production

RUN useradd --system --create-home --home-dir /home/kos --uid 10001 kos
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

# node_modules stays in the image: STATICFILES_DIRS points into it (settings/base.py).
COPY --from=assets /app/node_modules ./node_modules
COPY . .

RUN pybabel -q compile -d locale -D django

# Production settings refuse to import without these; the values below exist only for this build step
# and are not kept in the image. The real ones come from the environment at run time.
RUN SECRET_KEY=build-only-not-secret \
    PII_ENCRYPTION_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    PII_BLIND_INDEX_KEY=build-only-not-secret \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    python manage.py collectstatic --noinput

# The only place the app writes to local disk (MEDIA_ROOT, when STORAGE_BACKEND=local).
RUN mkdir -p /app/media && chown kos:kos /app/media
USER kos

EXPOSE 8000
# gunicorn also reads /app/gunicorn.conf.py, its working directory's: the request-line and header-field limits.
CMD ["gunicorn", "kos_platform.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
