"""Outputs of a parsed and audited report, in the reviewer's words: human text (:mod:`.text`),
findings grouped and placed (:mod:`.findings`: 表/行/列/原文位置, one line per rule per table,
probable cause), the debug view (:mod:`.debug`), the audit workbook (:mod:`.xlsx`) and the
correction notice (:mod:`.notice`, one DOCX per body)."""
