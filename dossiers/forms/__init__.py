"""Forms, split like the views (public, citizen, officer)."""

from .public import TrackForm

__all__ = ["TrackForm"]
