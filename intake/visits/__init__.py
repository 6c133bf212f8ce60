"""Today's visits: one day's appointments for reception and doctors, each with where it stands.

views.py and urls.py (namespace `visits`; also where staff land after signing in), selectors.py.
A room of its own: it reads reception's invitations and the doctors' intakes alike, and serves
both roles, each with what it may see (the verdict for doctors only).
"""
