"""API operations of the reporting app (mounted at /api/v1/ by cunwu/api.py)."""

from ninja import Router

router = Router(tags=["reporting"])
