# Arabic: Django's long date, "4 يناير، 2027" (see the package's docstring).
DATE_FORMAT = SHORT_DATE_FORMAT = "j F، Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j F، Y H:i"
