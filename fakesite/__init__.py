"""Fake Workfinity and Zendesk sites built to ``shared/spec/ui-contract.md``.

``core`` holds what both share (state behind a lock, audit, faults, sessions, timing, the
control API); ``workfinity`` and ``zendesk`` are the two ASGI apps; ``server`` runs both on
their own ports (two origins, as in reality).
"""
