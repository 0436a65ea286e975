"""Django's file cache, with the directory scan moved off the hot path.

The embedded default needs a cache every gunicorn worker and every ``pressroom``
process shares without a server: files in ``$PRESSROOM_HOME/cache`` do that.
Django's ``FileBasedCache`` lists the whole directory on *every* write to decide
whether to cull; with thousands of cached pages that listing costs more than
rendering the page. Here the check runs on about one write in ``CULL_EVERY``,
which keeps the directory bounded all the same. Entries are compressed at zlib's
fastest level: a 50 kB page compresses in a third of the time, to nearly the same size.
"""

from __future__ import annotations

import pickle
import random
import zlib
from typing import IO, Any

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 64


class SharedFileCache(FileBasedCache):
    def _cull(self) -> None:
        if random.randrange(CULL_EVERY) == 0:
            super()._cull()  # type: ignore[misc]  # private: not in the stubs

    def _write_content(self, file: IO[bytes], timeout: Any, value: Any) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 1))
