"""Server-rendered pages: one module per page of the navigation (registered in azyl.web.routes)."""
