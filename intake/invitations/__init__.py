"""Reception's appointment links: an invitation opens the patient's intake, prefilled, once.

views.py and urls.py (namespace `invitations`), forms.py (the invitation, also the admin's),
selectors.py (status, link, who has not finished), services.py (creating one).
"""
