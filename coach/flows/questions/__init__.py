"""Questions asked by more than one flow, each one object: its words, buttons, parser and home.

:mod:`.base` is the machinery; :mod:`.schedule` asks when check-ins come and in which language (onboarding
and /settings); :mod:`.profile` asks where the user stands and wants to go (onboarding).
"""
