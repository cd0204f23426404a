import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kos_platform.settings.local")
application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)  # every view, now rather than in the first request
# What is loaded by now lives as long as the process: the cyclic collector leaves it out of its full passes, which
# otherwise walk it again and again while a request builds large structures (a 10,000-row ingest: ~60 ms a pass).
gc.freeze()
