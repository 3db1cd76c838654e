"""Where a person in crisis can get help now: emergency numbers by country, and the lines for Korea.

Korea has a 24-hour suicide prevention line, 109 (자살예방상담전화, one number since January 2024), and the
mental health crisis line 1577-0199 (정신건강위기상담전화). Elsewhere Encore gives the local emergency
number where it knows it, and always findahelpline.com, which lists free, confidential lines by country.
"""

from __future__ import annotations

KOREA_LINES = ("109", "1577-0199")
KOREA_EMERGENCY = "119"
FIND_A_HELPLINE = "findahelpline.com"

# ISO country -> the number to call in an emergency (ambulance where it differs from the police).
EMERGENCY_NUMBERS = {
    "KR": "119",
    "US": "911",
    "CA": "911",
    "MX": "911",
    "GB": "999",
    "IE": "112",
    "AU": "000",
    "NZ": "111",
    "JP": "119",
    "CN": "120",
    "HK": "999",
    "TW": "119",
    "SG": "995",
    "IN": "112",
    "ZA": "10177",
    "BR": "192",
}
# Every EU member state (and a few neighbours) answers 112.
EMERGENCY_NUMBERS.update(
    dict.fromkeys(
        "AT BE BG HR CY CZ DK EE FI FR DE GR HU IT LV LT LU MT NL PL PT RO SK SI ES SE NO CH IS".split(),
        "112",
    )
)


def emergency_number(country: str | None) -> str | None:
    return EMERGENCY_NUMBERS.get(country or "")
