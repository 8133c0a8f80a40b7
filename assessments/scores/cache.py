"""Pages of published scores, cached until the next score run publishes.

Published scores change only when a run commits, so a page is cached under a key holding the
newest finished run: a new run makes new keys and the old ones expire on their own. The page
does not depend on who asks (every signed-in user reads published scores, roles.md), only on
the URL and the language of the names. A time limit bounds how stale a renamed agency can be.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from assessments.scores.models import RunStatus, ScoreRun


def publication_stamp() -> str:
    """The newest finished run (id and finish time): it changes whenever any scores are published.

    The time makes it unique even where run ids start again (a database re-created from scratch).
    """
    newest = ScoreRun.objects.filter(status=RunStatus.DONE).order_by("-pk").values_list("pk", "finished_at").first()
    return "0" if newest is None else f"{newest[0]}.{newest[1].timestamp() if newest[1] else 0}"


def cached_page(request, build: Callable[[], object]) -> object:
    """The response data of this request's page, from the cache or from `build()` (then cached)."""
    seconds = settings.SCORES_PAGE_CACHE_SECONDS
    if not seconds:
        return build()
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"scores-page:{publication_stamp()}:{get_language()}:{url}"
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, seconds)
    return data
