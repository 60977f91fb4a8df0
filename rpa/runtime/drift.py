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
    """Counts consecutive requests that failed on one same hook; thread-safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._hook = ""
        self._count = 0
        self._lock = threading.Lock()
        self.tripped: HookMissing | None = None

    def record(self, failure: BaseException | None) -> HookMissing | None:
        """Account one finished request (``failure``: why it failed, None if it did not); the
        ``HookMissing`` that trips the breaker, once."""
        missing = hook_missing(failure)
        with self._lock:
            if missing is None:
                self._hook, self._count = "", 0
                return None
            self._count = self._count + 1 if missing.hook == self._hook else 1
            self._hook = missing.hook
            if self._count >= self.limit and self.tripped is None:
                self.tripped = missing
                return missing
        return None

    def message(self) -> str:
        """pt-BR: which hook, on which screen, and what to do."""
        if self.tripped is None:
            return ""
        return (f"O gancho {self.tripped.hook} (tela {self.tripped.screen}) falhou em {self._count} solicitações "
                "seguidas: o site provavelmente mudou. Rode `rpa doctor` e, se preciso, ajuste [selectors] "
                "no rpa.toml; as linhas não processadas ficam para a próxima execução.")
