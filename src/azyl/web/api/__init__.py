"""The JSON API under /api/: one router per resource, every route in the envelope
(registered in azyl.web.routes)."""
