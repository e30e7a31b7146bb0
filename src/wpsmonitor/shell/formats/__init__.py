"""One date format per language on every page (settings.FORMAT_MODULE_PATH).

Django's own formats give a page two: "Jan. 4, 2027" (DATE_FORMAT) beside "01/04/2027"
(SHORT_DATE_FORMAT, month first in English, day first in French). Here both are the same
unambiguous long form, the day first and the month by name, and so are the two date-and-time
formats; whatever a template asks for, a reader sees one format. Machine formats (downloads,
the API, the values of date fields, `<time datetime>`) stay ISO 8601.
"""
