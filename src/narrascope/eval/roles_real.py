"""`roles-real`: entity roles on real state media, annotated by the project (issue #14).

The annotations (``eval/roles_real/annotations-*.jsonl``, guideline in ``GUIDELINE.md``) hold
only ids, offsets and labels; the texts are read from the public data (KCNA, Rodong Sinmun, the
Korean New Year editorials) and from the project's own Russian texts (``own_ru.jsonl``).
Score: per language, main-role accuracy over the annotated actors (an actor the system does
not find, or finds without a role, counts as wrong), how many were found at all, and the
calibration of the shown scores.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrascope.config import PACKAGE_DIR
from narrascope.errors import NarrascopeError

FOLDER = PACKAGE_DIR / "eval" / "roles_real"
SPLITS = ("dev", "test")
LANGUAGES = ("en", "ko", "ru")
CORPORA = ("kcna_stiles", "rodong_sinmun_frontpage", "nk_newyear_ko", "own_ru")


@dataclass(frozen=True)
class GoldActor:
    name: str
    kind: str
    start: int
    end: int
    role: str


@dataclass(frozen=True)
class RealDocument:
    """One annotated document with its text (offsets of the actors are into `text`)."""

    id: str
    language: str
    split: str
    text: str
    actors: tuple[GoldActor, ...]


def split_of(key: str) -> str:
    """The guideline's fixed split: about 40 % of the document keys are test."""
    return "test" if int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 5 in (0, 1) \
        else "dev"


class _Texts:
    """The annotated corpora, each read once."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._cache: dict[str, dict[str, str]] = {}

    def _need(self, path: Path) -> Path:
        if not path.is_file():
            raise NarrascopeError(f"{path}: not found; set NARRASCOPE_DATA to the folder that "
                                  "holds the public datasets")
        return path

    def corpus(self, name: str) -> dict[str, str]:
        if name not in self._cache:
            self._cache[name] = self._read(name)
        return self._cache[name]

    def _read(self, name: str) -> dict[str, str]:
        if name == "kcna_stiles":
            path = self._need(self.data_dir / name / "headlines_2024-11-11.json")
            out: dict[str, str] = {}
            for record in json.loads(path.read_text(encoding="utf-8")):
                if record.get("story_text") and record.get("link") not in out:
                    out[record["link"]] = record["story_text"]
            return out
        if name == "rodong_sinmun_frontpage":
            path = self._need(self.data_dir / name / "rodong_frontpage_en.jsonl")
            rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip())
            return {r["news_id"]: "\n\n".join(r["paragraphs"]) for r in rows}
        if name == "own_ru":
            rows = (json.loads(line) for line in
                    (FOLDER / "own_ru.jsonl").read_text(encoding="utf-8").splitlines()
                    if line.strip())
            return {r["id"]: r["text"] for r in rows}
        if name == "nk_newyear_ko":
            folder = self.data_dir / name
            return {p.name: self._need(p).read_text(encoding="utf-8")
                    for p in sorted(folder.glob("*.txt"))}
        raise NarrascopeError(f"unknown corpus {name!r} in the roles-real annotations")

    def text(self, doc: dict[str, Any]) -> str:
        found = self.corpus(doc["corpus"]).get(doc["key"])
        if found is None:
            raise NarrascopeError(f"roles-real: {doc['corpus']} has no document {doc['key']!r}")
        if doc["corpus"] == "nk_newyear_ko":
            return found[int(doc["start"]):int(doc["end"])]
        return found


def _doc_id(doc: dict[str, Any]) -> str:
    suffix = f":{doc['start']}" if "start" in doc else ""
    return f"{doc['corpus']}:{doc['key']}{suffix}"


def load_documents(data_dir: Path, split: str | None = None,
                   languages: Iterable[str] = LANGUAGES) -> list[RealDocument]:
    """The annotated documents of a split (None: all), with their texts."""
    if split is not None and split not in SPLITS:
        raise NarrascopeError(f"roles-real split {split!r}: use dev or test")
    texts = _Texts(data_dir)
    wanted = {lang.lower() for lang in languages}
    out = []
    for path in sorted(FOLDER.glob("annotations-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["language"] not in wanted or (split and row["split"] != split):
                continue
            text = texts.text(row["doc"])
            actors = tuple(GoldActor(a["name"], a["kind"], int(a["start"]), int(a["end"]),
                                     a["role"]) for a in row["actors"])
            out.append(RealDocument(_doc_id(row["doc"]), row["language"], row["split"], text,
                                    actors))
    return out


def write_gold(documents: Iterable[RealDocument], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for d in documents:
            fh.write(json.dumps({"id": d.id, "language": d.language, "actors": [
                {"name": a.name, "start": a.start, "end": a.end, "role": a.role}
                for a in d.actors]}, ensure_ascii=False) + "\n")
    return path


def write_input(documents: Iterable[RealDocument], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for d in documents:
            fh.write(json.dumps({"id": d.id, "language": d.language, "text": d.text},
                                ensure_ascii=False) + "\n")
    return path


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise NarrascopeError(f"{path}:{number}: not JSON ({exc.msg})") from None


def score_file(gold_path: Path, pred_path: Path) -> dict[str, Any]:
    """Scores of a prediction file (per document: `id`, `entities` with `mentions`, `role`,
    `score`) against a gold file (per document: `id`, `language`, `actors`)."""
    predicted = {row["id"]: row.get("entities", []) for row in _read_jsonl(pred_path)}
    return score_rows(list(_read_jsonl(gold_path)), predicted)


def score_documents(model: Any, documents: Iterable[RealDocument],
                    encoder: Any) -> dict[str, Any]:
    """The scores of a role model on annotated documents, as `eval run` computes them."""
    gold, predicted = [], {}
    for d in documents:
        gold.append({"id": d.id, "language": d.language, "actors": [
            {"name": a.name, "start": a.start, "end": a.end, "role": a.role}
            for a in d.actors]})
        predicted[d.id] = entity_rows(model, d.text, d.language, encoder)
    return score_rows(gold, predicted)


def score_rows(gold_docs: list[dict[str, Any]],
               predicted: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    rows: list[tuple[str, bool, bool, float | None]] = []  # language, found, right, score
    for doc in gold_docs:
        entities = predicted.get(doc["id"], [])
        for actor in doc["actors"]:
            hit = _best_overlap(entities, actor["start"], actor["end"])
            role = hit.get("role") if hit else None
            score = hit.get("score") if hit and role else None
            rows.append((doc["language"], hit is not None, role == actor["role"], score))
    out = summarise(rows)
    out["shown_entities"] = shown_entities(gold_docs, predicted)
    return out


def shown_entities(gold_docs: list[dict[str, Any]],
                   predicted: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """How many of the entities shown with a role are real named actors, by the judgements in
    ``entity_judgements.jsonl`` (document id, entity name, whether it is a named actor); the
    entities nobody judged are counted apart."""
    path = FOLDER / "entity_judgements.jsonl"
    judged = {(r["id"], r["name"]): bool(r["named_actor"]) for r in _read_jsonl(path)} \
        if path.is_file() else {}
    out: dict[str, Any] = {}
    for language in [*sorted({d["language"] for d in gold_docs}), "all"]:
        names = [(d["id"], e["name"]) for d in gold_docs if language in ("all", d["language"])
                 for e in predicted.get(d["id"], []) if e.get("role")]
        verdicts = [judged[n] for n in names if n in judged]
        out[language] = {"shown": len(names), "judged": len(verdicts),
                         "named_actor_share": round(sum(verdicts) / len(verdicts), 4)
                         if verdicts else None}
    return out


def _best_overlap(entities: list[dict[str, Any]], start: int, end: int
                  ) -> dict[str, Any] | None:
    """The entity with a mention overlapping [start, end) the most (intersection over union):
    a country named inside a body's name is the country, not the body."""
    best, best_iou = None, 0.0
    for e in entities:
        for s, t in e["mentions"]:
            inter = min(t, end) - max(s, start)
            if inter > 0:
                iou = inter / (max(t, end) - min(s, start))
                if iou > best_iou:
                    best, best_iou = e, iou
    return best


def summarise(rows: list[tuple[str, bool, bool, float | None]]) -> dict[str, Any]:
    """Accuracy, found share and calibration (by score bin), per language and over all."""
    out: dict[str, Any] = {}
    for language in [*sorted({r[0] for r in rows}), "all"]:
        part = [r for r in rows if language in ("all", r[0])]
        shown = [r for r in part if r[3] is not None]
        out[language] = {
            "actors": len(part),
            "main_role_accuracy": round(sum(r[2] for r in part) / len(part), 4),
            "found": round(sum(r[1] for r in part) / len(part), 4),
            "with_role": round(len(shown) / len(part), 4),
            "accuracy_when_shown": round(sum(r[2] for r in shown) / len(shown), 4)
            if shown else None,
        }
    out["calibration"] = calibration_table([(bool(r[2]), float(r[3])) for r in rows
                                            if r[3] is not None])
    langs = [k for k in out if k in LANGUAGES]
    out["main_role_accuracy"] = out["all"]["main_role_accuracy"]
    out["min_language_accuracy"] = min((out[k]["main_role_accuracy"] for k in langs),
                                       default=0.0)
    return out


def calibration_table(pairs: list[tuple[bool, float]]) -> list[dict[str, Any]]:
    """Shown scores in bins of 0.1 from 0.5: how many, mean score, share right."""
    out = []
    for low in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9):
        high = {0.0: 0.5, 0.9: 1.01}.get(low, low + 0.1)
        inside = [(right, s) for right, s in pairs if low <= s < high]
        if inside:
            out.append({"bin": f"{low:.1f}-{min(high, 1.0):.1f}", "n": len(inside),
                        "mean_score": round(sum(s for _, s in inside) / len(inside), 3),
                        "right": round(sum(r for r, _ in inside) / len(inside), 3)})
    return out


def entity_rows(model: Any, text: str, language: str, encoder: Any) -> list[dict[str, Any]]:
    """The entities a role model finds in one text and the roles it gives them (None for the
    ones it leaves uncast), as `score_file` reads them."""
    import numpy as np

    from narrascope.nlp.segment import split_sentences

    sentences = split_sentences(text, language)
    vectors = np.asarray(encoder.encode([s.slice(text) for s in sentences]), dtype=np.float32)
    entities = model.find_entities(text, language, sentences)
    spans = sorted({m for e in entities for m in e.mentions})
    predictions = model.predict(text, language, spans, sentences, vectors, encoder)
    cast = {r.mentions: r for r in model.entity_roles(entities, predictions)}
    rows = []
    for e in entities:
        role = cast.get(e.mentions)
        rows.append({"name": e.name, "kind": e.kind, "actor_id": e.actor_id,
                     "mentions": [list(m) for m in e.mentions],
                     "role": role.main_role if role else None,
                     "score": round(role.main_score, 4) if role else None})
    return rows


def predict_file(input_path: Path, out: Path, model: Any = None, encoder: Any = None) -> int:
    """Predict every document of an input JSONL (`id`, `language`, `text`); returns the count."""
    if model is None:
        from narrascope.detect.roles import RoleModel

        model = RoleModel.load()
    if encoder is None:
        from narrascope.embed import Encoder

        encoder = Encoder()
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for doc in _read_jsonl(input_path):
            rows = entity_rows(model, doc["text"], doc["language"], encoder)
            fh.write(json.dumps({"id": doc["id"], "entities": rows}, ensure_ascii=False) + "\n")
            count += 1
    return count
