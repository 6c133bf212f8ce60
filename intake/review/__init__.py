"""The doctors' workspace: the queue, one intake's page, its print view and the decision.

views.py and urls.py (namespace `review`), forms.py (the queue's filters, the decision),
queue.py (the queue's reads), selectors.py (the intake page's reads), services.py (opening an
intake for review, recording a decision). Reception sees the queue without anything medical.
"""
