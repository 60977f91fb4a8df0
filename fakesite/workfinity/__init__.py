"""The fake Workfinity (field-service web app) built to the UI contract.

``create_app(world)`` returns the Starlette app; ``fakesite.server`` wraps it in
``SiteMiddleware`` (latency, timing) and serves it.
"""

from fakesite.workfinity.app import create_app

__all__ = ["create_app"]
