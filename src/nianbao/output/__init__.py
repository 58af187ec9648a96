"""Outputs of a parsed and audited report: human text (:mod:`.text`), the debug view
(:mod:`.debug`) and the audit workbook (:mod:`.xlsx`)."""
