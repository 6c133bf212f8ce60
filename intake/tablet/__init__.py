"""In-clinic tablet mode: a device reception hands patients in the waiting room.

mode.py (the device's mark, a signed cookie, and what templates read), views.py and urls.py
(namespace `tablet`: reception's page that makes a tablet, the start screen, finishing a
patient, leaving tablet mode). intake/middleware.py keeps a tablet off every staff page and
clears a questionnaire left idle; intake/throttle.py does not count a tablet's submissions.
"""
