"""Moving in from another system (docs/moving-in.md): long-format records keyed by labels,
matched to a plan's codes (a mapping sheet for what is not), imported by the values import."""
