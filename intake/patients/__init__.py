"""The patient record across visits (spec §5): staff find a patient, link an intake to them (the
app suggests, never links on its own), set the visit's appointment date, and doctors record the
treatments the clinic gave.

views.py and urls.py (namespace `patients`), forms.py, selectors.py (the patient's page, matches,
the history a doctor sees), services.py (linking, appointments, treatments; each re-screens the
intakes it affects).
"""
