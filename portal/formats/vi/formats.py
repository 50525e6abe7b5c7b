"""Vietnamese number formats: 7.000 đồng, 1.433,5 (Django's own vi formats do not
group thousands)."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
