"""公开 (public disclosure): the public, server-rendered pages of the marketplace (no login).

``disclosure.site.install(app)`` mounts them in the API's FastAPI service at ``/``. They read
the public read models only (projections/public_notices.py, agency_directory.py,
public_timeline.py) and show what the rules make public, with persons' data masked.
"""
