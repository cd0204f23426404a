"""gunicorn's settings: it reads ./gunicorn.conf.py from the directory it starts in (the image's /app, or the
repository root), so the web server of the Dockerfile and docker-compose.yml gets these without a flag. Bind address
and access log stay on their command lines (bench/run.py starts gunicorn here too, with its own, and no access log).

Request size: gunicorn's default request-line limit, 4,094 bytes, refused a long list filter (many ids or statuses in
the query string) with gunicorn's own HTML 414 before the app saw it. 8,190 is the largest limit gunicorn has short
of none at all (0), which would let one request line grow without bound. A header field may be twice gunicorn's
default (16,380 bytes), room for a long Referer to such a list or a large cookie. Past these limits gunicorn still
answers itself (414, 431); the app's input guard sees everything shorter (kos_platform.guard).

Garbage collection: each worker freezes what it has loaded once the app is up (`post_worker_init`), so a request
that makes many objects (a 10,000-row ingest) no longer has the collector walk Django and every module with them: a
full collection took 60 ms of such a request's 0.7 s (bench/README.md, Analytics)."""

import gc

limit_request_line = 8190
limit_request_field_size = 16380


def post_worker_init(worker):
    gc.freeze()
