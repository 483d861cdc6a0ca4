"""The plans part of the accompaniment in the JSON API."""

from ninja import Router

router = Router(tags=["plans"])
