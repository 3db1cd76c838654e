"""Study: certification goals, weekly check-ins, an honest pace, and exam results.

``/study`` opens the menu (:mod:`.menu`); each thing it offers is a flow of its own, in its own module:
setting a goal (:mod:`.goal`), checking in with hours, domains and a practice score (:mod:`.checkin`),
recording an exam result (:mod:`.result`) and changing a goal (:mod:`.edit`). What they share is in
:mod:`.common`.
"""
