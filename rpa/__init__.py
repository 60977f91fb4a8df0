"""RPA bot: opens Workfinity service orders and registers them in Zendesk."""

__version__ = "0.1.0"
