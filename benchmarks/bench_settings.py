"""Settings for the load benchmark only: the production settings plus ``bench_urls``, which
adds a bare logged-in view to compare the pages with. Never used in production.

    PYTHONPATH=benchmarks DJANGO_SETTINGS_MODULE=bench_settings zhenggai serve ...
"""

from zhenggai.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
