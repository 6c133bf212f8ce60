"""The read-only FHIR API for integrations (a chart system, a data warehouse): per-integration
tokens (`ApiToken`, made in the admin), the intake's Bundles and the Questionnaire. Every call
needs a token and is kept in the access record."""
