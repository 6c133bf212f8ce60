"""Continue later: a patient asks, on any step after the first, for a link by e-mail that opens
their answers on another device once they confirm their date of birth (issue 11).

services.py (make the link, queue its e-mail, take its answers once), selectors.py (find a link by
its token), views.py (the request page and the link itself, behind `intake.birthdate`).
"""

from __future__ import annotations

import datetime

RESUME_LINK_LIFETIME = datetime.timedelta(hours=72)
RESUME_SCOPE = "resume"
