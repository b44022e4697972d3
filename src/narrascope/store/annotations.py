"""Detector results: annotations, the record of which detector ran on what, and embeddings."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Connection, and_, delete, select

from narrascope.model import Annotation
from narrascope.store.repo import now_iso
from narrascope.store.schema import analysis_runs, annotations_table, documents, embeddings


def pending_documents(conn: Connection, detector: str, config_hash: str) -> list[int]:
    """Documents the detector has not yet analysed with these settings."""
    done = select(analysis_runs.c.document_id).where(
        and_(analysis_runs.c.detector == detector, analysis_runs.c.config_hash == config_hash)
    )
    rows = conn.execute(
        select(documents.c.id).where(documents.c.id.not_in(done)).order_by(documents.c.id)
    )
    return [int(i) for i in rows.scalars()]


def save_results(
    conn: Connection,
    document_id: int,
    detector: str,
    version: str,
    config_hash: str,
    results: Sequence[Annotation],
) -> None:
    """Replace this detector's annotations on the document and mark it done, in one transaction."""
    conn.execute(
        delete(annotations_table).where(
            and_(
                annotations_table.c.document_id == document_id,
                annotations_table.c.detector == detector,
            )
        )
    )
    conn.execute(
        delete(analysis_runs).where(
            and_(analysis_runs.c.document_id == document_id, analysis_runs.c.detector == detector)
        )
    )
    rows = [
        {
            "document_id": document_id,
            "detector": detector,
            "detector_version": version,
            "kind": a.kind,
            "label": a.label,
            "score": float(a.score),
            "start": a.start,
            "end": a.end,
            "evidence": a.evidence,
            "extra": json.dumps(a.extra, ensure_ascii=False) if a.extra else None,
        }
        for a in results
    ]
    if rows:
        conn.execute(annotations_table.insert(), rows)
    conn.execute(
        analysis_runs.insert().values(
            document_id=document_id,
            detector=detector,
            detector_version=version,
            config_hash=config_hash,
            completed_at=now_iso(),
        )
    )


def load_vectors(
    conn: Connection, sentence_ids: Sequence[int], encoder: str
) -> dict[int, np.ndarray]:
    out: dict[int, np.ndarray] = {}
    for i in range(0, len(sentence_ids), 900):  # stay under SQLite's bound-parameter limit
        chunk = sentence_ids[i : i + 900]
        rows = conn.execute(
            select(embeddings.c.sentence_id, embeddings.c.vector).where(
                and_(embeddings.c.encoder == encoder, embeddings.c.sentence_id.in_(chunk))
            )
        ).all()
        for sid, blob in rows:
            out[int(sid)] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    return out


def save_vectors(
    conn: Connection, sentence_ids: Sequence[int], vectors: np.ndarray, encoder: str
) -> None:
    rows = [
        {"sentence_id": sid, "encoder": encoder, "vector": vec.astype(np.float16).tobytes()}
        for sid, vec in zip(sentence_ids, vectors, strict=True)
    ]
    if rows:
        conn.execute(embeddings.insert(), rows)
