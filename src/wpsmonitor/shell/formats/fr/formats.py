# French: "4 janvier 2027", "4 janvier 2027 14:30" (see the package's docstring).
DATE_FORMAT = SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j F Y H:i"
