"""nianbao write: draft a report in the official 2021 template."""
