"""The web front door: the office's dashboard, served by the bot's own process (aiohttp).

Like a transport it only translates: forms and pages in, calls of the features' functions
(handlers/) out. `app.py` builds it, `auth.py` lets only signed-in admins in, `render.py` turns
templates into pages, and `pages/` holds one module per page.
"""
