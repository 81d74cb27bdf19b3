"""HTTP API for Briefing: `create_app(settings)`."""

from api.app import create_app

__all__ = ["create_app"]
