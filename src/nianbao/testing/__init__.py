"""Test data and scoring, for tests and benchmarks only (never imported by the pipeline):
synthetic reports (:mod:`.synth`) and answer-file scoring (:mod:`.scoring`)."""
