"""The drift breaker: the same hook missing on N requests in a row means the site changed.

Marking every remaining row ERRO_SISTEMA would only waste the night and bury the cause; the
run stops instead, names the hook and its screen, and leaves the untouched rows for the next
run (after ``rpa doctor`` and, if needed, a ``[selectors]`` override).
"""

from __future__ import annotations

import threading

from rpa.errors import HookMissing


def hook_missing(exc: BaseException | None) -> HookMissing | None:
    """The ``HookMissing`` behind ``exc`` (itself, or a cause / context of it), if any."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, HookMissing):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


class DriftBreaker:
    """Counts, per hook, the consecutive site requests that failed on it; thread-safe.

    Only a request that went all the way through (every row OK) proves the hooks are there
    and resets the counts. One failing on hook A leaves B's count alone, and one that ended
    early (a business outcome decided on the first screen, another system error) proves
    nothing either way: it never reached the screens after, and flows differ in which
    screen comes first (a new ticket starts in Zendesk, a known one in Workfinity)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self.tripped: HookMissing | None = None

    def record(self, failure: BaseException | None, completed: bool) -> HookMissing | None:
        """Account one finished site request (``failure``: why it failed, if it did;
        ``completed``: every row OK); the ``HookMissing`` that trips the breaker, once."""
        missing = hook_missing(failure)
        with self._lock:
            if missing is None:
                if completed:
                    self._counts.clear()
                return None
            self._counts[missing.hook] = self._counts.get(missing.hook, 0) + 1
            if self._counts[missing.hook] >= self.limit and self.tripped is None:
                self.tripped = missing
                return missing
        return None

    def message(self) -> str:
        """pt-BR: which hook, on which screen, and what to do."""
        if self.tripped is None:
            return ""
        return (f"O gancho {self.tripped.hook} (tela {self.tripped.screen}) falhou em {self.limit} solicitações "
                "seguidas: o site provavelmente mudou. Rode `rpa doctor` e, se preciso, ajuste [selectors] "
                "no rpa.toml; as linhas não processadas ficam para a próxima execução.")
