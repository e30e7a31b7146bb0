# Spanish: "4 de enero de 2027", "4 de enero de 2027 14:30" (see the package's docstring).
DATE_FORMAT = SHORT_DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = r"j \d\e F \d\e Y H:i"
