"""What a workshop says to a person (join codes, the workshop file), as catalogue entries.

`workbook.workshop` raises its errors with these texts and their values apart, so that each
page shows them in its reader's language (`workbook.i18n`); ``str(err)`` stays English.
"""

from __future__ import annotations

from .i18n import N_

TYPE_THE_CODE = N_("Type the join code your facilitator gave you.")
NOT_A_CODE = N_(
    "%(typed)r is not a join code. A code has %(length)d letters and "
    "digits, for example 'KT7Q-4MXP-9RWA'. Check it with your facilitator."
)
NOT_IN_WORKSHOP = N_(
    "That join code is not part of this workshop. Check each letter with your "
    "facilitator and try again."
)
GONE = N_("That join code's workbook is no longer here. Please ask your facilitator.")
#: A page must wait before its next code: one second, several seconds.
WAIT = (
    N_(
        "Several codes did not match. Please wait %(seconds)d second, then type the code "
        "again carefully. If it keeps happening, ask your facilitator."
    ),
    N_(
        "Several codes did not match. Please wait %(seconds)d seconds, then type the code "
        "again carefully. If it keeps happening, ask your facilitator."
    ),
)
#: ``workshop.json`` that cannot be used (it is never changed then).
UNREADABLE = N_("The workshop file %(file)s cannot be read (%(why)s). It was left untouched.")
NOT_A_WORKSHOP = N_("%(file)s is not a Healing Together workshop file. It was left untouched.")
NEWER = N_(
    "%(file)s was written by a newer version of Healing Together. "
    "Update the app to use it. It was left untouched."
)
