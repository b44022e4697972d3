"""The online story tracker: stable ids, determinism, reprints, bounded state, and a store that
stays consistent when a run dies half-way."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from narrascope.config import Settings
from narrascope.model import Document
from narrascope.store import Store, open_store, repo
from narrascope.store.schema import stories, story_documents, tracker_state
from narrascope.track import persist
from narrascope.track.listing import list_stories
from narrascope.track.profile import DocInput
from narrascope.track.stories import StoryTracker, TrackerSettings

EVENTS = {
    "quake": ("Earthquake strikes {place}", "A magnitude 6.{n} earthquake struck {place} on "
              "Tuesday, collapsing buildings. Rescue teams searched the rubble of the town hall "
              "in {place} for survivors after the earthquake."),
    "rehab": ("Actress Tara Reid checks into rehab", "Actress Tara Reid entered the Promises "
              "rehab clinic in Malibu, her publicist said. Reid, {n}3, checked in for treatment "
              "of alcohol problems at the Malibu clinic."),
    "election": ("Parliament election results in {place}", "Voters in {place} returned the "
                 "governing coalition to parliament. The election commission counted ballots "
                 "overnight and the prime minister of {place} claimed victory at {n} a.m."),
}


def _stream(n: int = 18) -> list[DocInput]:
    start = date(2026, 3, 1)
    out = []
    for i in range(n):
        event = list(EVENTS)[i % 3]
        title, body = EVENTS[event]
        place = {"quake": "Norcia", "rehab": "Malibu", "election": "Valdoria"}[event]
        out.append(DocInput(f"{event}-{i}", body.format(place=place, n=i % 7),
                            title.format(place=place), "en", start + timedelta(days=i // 6)))
    return out


def test_same_stream_same_stories_and_events_kept_apart() -> None:
    one, two = StoryTracker(), StoryTracker()
    first = [one.add(d) for d in _stream()]
    second = [two.add(d) for d in _stream()]
    assert first == second
    by_event: dict[str, set[int]] = {}
    for a in first:
        by_event.setdefault(a.key.split("-")[0], set()).add(a.story_id)
    assert all(len(ids) == 1 for ids in by_event.values()), by_event
    assert len(set.union(*by_event.values())) == 3
    assert [a.story_id for a in first[:3]] == [1, 2, 3]  # ids in creation order


def test_active_set_and_index_stay_bounded() -> None:
    tracker = StoryTracker(settings=TrackerSettings(window_days=2, max_active=4))
    day = date(2026, 1, 1)
    for i in range(40):
        words = " ".join(f"topic{chr(97 + i % 26)}{chr(97 + i // 26)}word{k}" for k in range(30))
        tracker.add(DocInput(str(i), words, None, "en", day + timedelta(days=i)))
    assert len(tracker.active) <= 4
    indexed = set().union(*tracker.index.values())
    assert indexed <= set(tracker.active)
    assert tracker.next_id == 41


def _store(tmp_path: Path) -> Store:
    return open_store(Settings(db=str(tmp_path / "t.db")).db_url)


def _ingest(store: Store, docs: list[DocInput], reprint_of: dict[str, str] | None = None
            ) -> dict[str, int]:
    ids: dict[str, int] = {}
    with store.transaction() as conn:
        for d in docs:
            original = ids.get((reprint_of or {}).get(d.key, ""))
            ids[d.key] = repo.insert_document(
                conn, Document(d.text, origin="test", external_id=d.key, title=d.title,
                               published=d.day),
                language="en", text_hash=hashlib.sha256(d.key.encode()).hexdigest(),
                source_id=None, minhash=None, near_duplicate_of=original,
                near_duplicate_similarity=0.9 if original else None)
    return ids


def _memberships(store: Store) -> dict[int, int]:
    with store.read() as conn:
        return dict(conn.execute(select(story_documents.c.document_id,
                                        story_documents.c.story_id)).all())


def test_adding_documents_never_renumbers_and_matches_one_run(tmp_path: Path) -> None:
    docs = _stream()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    whole = _store(tmp_path / "a")
    _ingest(whole, docs)
    persist.track_pending(whole, "none")
    parts = _store(tmp_path / "b")
    _ingest(parts, docs[:7])
    persist.track_pending(parts, "none")
    before = _memberships(parts)
    _ingest(parts, docs[7:])
    report = persist.track_pending(parts, "none")
    after = _memberships(parts)
    assert report.documents == len(docs) - 7
    assert {d: after[d] for d in before} == before
    assert after == _memberships(whole)
    with parts.read() as conn:
        listed = list_stories(conn)
    assert sum(len(s.documents) for s in listed) == len(docs)
    assert all(s.first_seen and s.last_seen and s.first_seen <= s.last_seen for s in listed)
    assert persist.track_pending(parts, "none").documents == 0


def test_reprint_joins_its_originals_story(tmp_path: Path) -> None:
    store = _store(tmp_path)
    docs = _stream(6)
    reprint = DocInput("copy", "Completely different wording about gardening and roses.",
                       "Roses", "en", date(2026, 3, 2))
    ids = _ingest(store, [*docs, reprint], {"copy": "quake-0"})
    report = persist.track_pending(store, "none")
    found = _memberships(store)
    assert report.reprints == 1
    assert found[ids["copy"]] == found[ids["quake-0"]]


def test_a_crash_mid_run_leaves_whole_chunks_and_resumes(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path)
    docs = _stream()
    _ingest(store, docs)
    monkeypatch.setattr(persist, "CHUNK", 5)
    real, calls = persist._track_one, {"n": 0}

    def dies_on_the_twelfth(*args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 12:
            raise RuntimeError("power cut")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(persist, "_track_one", dies_on_the_twelfth)
    with pytest.raises(RuntimeError):
        persist.track_pending(store, "none")
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(story_documents)).scalar() == 10
        sizes = conn.execute(select(func.sum(stories.c.size))).scalar()
        assert sizes == 10
    monkeypatch.setattr(persist, "_track_one", real)
    persist.track_pending(store, "none")
    (tmp_path / "clean").mkdir()
    clean = _store(tmp_path / "clean")
    _ingest(clean, docs)
    persist.track_pending(clean, "none")
    assert _memberships(store) == _memberships(clean)


def test_watermark_keeps_back_at_a_document_left_outside(tmp_path: Path) -> None:
    store = _store(tmp_path)
    docs = _stream(9)
    ids = _ingest(store, docs[:6])
    persist.track_pending(store, "none")
    with store.read() as conn:
        first_mark = persist._watermark(conn)
    assert first_mark == max(ids.values())
    ids = _ingest(store, docs[6:])
    persist.track_pending(store, "none")
    # as if document `late` had been stored while that second run went on, unseen by it
    late = sorted(ids.values())[1]
    with store.transaction() as conn:
        conn.execute(story_documents.delete().where(story_documents.c.document_id == late))
        conn.execute(tracker_state.delete())
        conn.execute(tracker_state.insert().values(key=persist.WATERMARK_KEY,
                                                   value=str(first_mark).encode()))
        persist._advance_watermark(conn)
        assert persist._watermark(conn) == late - 1
        assert persist.pending(conn) == [late]
    assert persist.track_pending(store, "none").documents == 1
    assert late in _memberships(store)


def test_numbers_and_name_counts_reach_the_decision() -> None:
    """Two events of one kind differ in their numbers; the decision model sees how many of a
    document's numbers the story has, and how much of its names' weight."""
    from narrascope.track.decide import FEATURES, pair_features
    from narrascope.track.profile import make_profile, weigh
    from narrascope.track.stories import StoryState

    tracker = StoryTracker()
    body = ("The Indian Navy foiled a pirate attack in the Gulf of Aden and captured {n} pirates "
            "on Saturday, the Navy said in {year}.")
    story = StoryState(1, None, None)
    for _ in range(2):
        founder = make_profile(DocInput("a", body.format(n=23, year=2008)))
        weigh(founder, tracker.df)
        tracker._join(story, founder)

    def features(text: str) -> dict[str, float]:
        profile = make_profile(DocInput("b", text))
        weigh(profile, tracker.df)
        return dict(zip(FEATURES, pair_features(profile, story, None).tolist(), strict=True))

    same = features(body.format(n=23, year=2008))
    other = features(body.format(n=26, year=2011))
    bare = features("The Indian Navy foiled a pirate attack in the Gulf of Aden.")
    assert same["number_overlap"] == 1.0
    assert other["number_overlap"] == 0.0
    assert bare["number_overlap"] == 0.0
    # the story's names, twice each: Indian Navy, Gulf, Aden, Saturday, Navy
    assert same["name_cos"] == pytest.approx(1.0)
    assert bare["name_cos"] == pytest.approx((3 / 5) ** 0.5)  # three of its five names


def test_undated_documents_are_grouped_the_same_in_any_stored_order(tmp_path: Path) -> None:
    undated = [DocInput(d.key, d.text, d.title, "en", None) for d in _stream()]
    grouped = sorted(undated, key=lambda d: d.key.split("-")[0])  # each event's documents together
    partitions = []
    for name, docs in (("file", undated), ("grouped", grouped)):
        (tmp_path / name).mkdir()
        store = _store(tmp_path / name)
        ids = _ingest(store, docs)
        report = persist.track_pending(store, "none")
        assert report.documents == len(docs) and report.batched > 0
        found = _memberships(store)
        key_of = {v: k for k, v in ids.items()}
        groups: dict[int, set[str]] = {}
        for doc_id, story_id in found.items():
            groups.setdefault(story_id, set()).add(key_of[doc_id])
        partitions.append({frozenset(g) for g in groups.values()})
    assert partitions[0] == partitions[1]
    events = {frozenset(d.key for d in undated if d.key.startswith(e)) for e in EVENTS}
    assert partitions[0] == events


def test_the_nearest_vector_lookup_follows_joins_and_expiry() -> None:
    import numpy as np

    rng = np.random.default_rng(11)
    tracker = StoryTracker(settings=TrackerSettings(window_days=2, max_active=5))
    for i, d in enumerate(_stream(40)):
        v = rng.normal(size=16).astype(np.float32)
        tracker.add(DocInput(d.key, d.text, d.title, "en",
                             date(2026, 3, 1) + timedelta(days=i // 4), v / np.linalg.norm(v)))
        with_vectors = {sid for sid, s in tracker.active.items() if s.vector_sum is not None}
        assert set(tracker._vector_ids) == with_vectors and len(tracker._vector_ids) <= 5
        for sid, row in tracker._vector_row.items():
            assert tracker._vector_ids[row] == sid
            assert np.allclose(tracker._vectors[row], tracker.active[sid].mean_vector(), atol=1e-6)
    probe = tracker.active[tracker._vector_ids[0]].mean_vector()
    assert tracker._nearest_by_vector(probe, set(), k=1) == [tracker._vector_ids[0]]
    assert tracker._vector_ids[0] not in tracker._nearest_by_vector(probe, {tracker._vector_ids[0]})
