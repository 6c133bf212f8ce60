"""FHIR R4 for the chart and for integrations: the data dictionary as a Questionnaire, each
intake as a Bundle (questionnaire.py, bundle.py), the API's own resources (rest.py), and the
reads behind them (selectors.py). Resources are built as plain JSON; the tests validate them
with `fhir.resources` (R4B models), which the app itself does not need.
"""
