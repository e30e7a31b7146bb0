"""Load a plan (structure, baselines, targets, list items) from workbook or JSON sections.

Runs inside the import's transaction and records every problem in the shared ValueIngest
session, so structure problems and value problems are listed together and nothing is stored
unless there are none. Existing rows (same codes) are updated, so a re-import of an exported
workbook changes nothing.

One module per concern: `reader` (the load's state and typed cell readers), one module per
group of sheets (`directory`, `plan`, `framework`, `indicators`, `references`), and `loader`,
which runs them in the order their rows depend on each other.
"""
