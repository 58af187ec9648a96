"""Small readers of an ingested Document, shared by the ingest tests."""


def rows(doc, table: int) -> list:
    return [b for b in doc.blocks if b.kind == "row" and b.table == table]


def texts(block) -> list:
    return [c.text for c in block.cells]


def cols(block) -> list:
    return [c.loc.col for c in block.cells]


def paras(doc) -> list:
    return [b.cells[0].text for b in doc.blocks if b.kind == "para"]


def num(text: str):
    return int(text) if text else None
