"""The schema's history: each step takes a workbook file from one version to the next.

`workbook.store.schema` applies them (and checks that there is one per version); exports are
checked against them too (`workbook.store.exchange`).
"""

from __future__ import annotations

# Each entry takes the schema from version i to version i + 1. Never edit a released step:
# add a new one, so files written by any earlier version can be brought forward.
MIGRATIONS: list[str] = [
    # 0 -> 1: the first schema.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE partners (
        id TEXT PRIMARY KEY CHECK (id IN ('a', 'b')),
        name TEXT NOT NULL,
        key_salt BLOB, key_n INTEGER, key_check BLOB
    );
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        at TEXT NOT NULL,
        mood INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 10),
        trust INTEGER NOT NULL CHECK (trust BETWEEN 1 AND 10),
        note TEXT NOT NULL DEFAULT '',
        note_sealed BLOB,
        visibility TEXT NOT NULL CHECK (visibility IN ('shared', 'private'))
    );
    CREATE INDEX checkins_at ON checkins(at);
    CREATE TABLE reflections (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        step INTEGER NOT NULL,
        prompt TEXT NOT NULL,
        text TEXT,
        text_sealed BLOB,
        visibility TEXT NOT NULL CHECK (visibility IN ('shared', 'private', 'paired')),
        at TEXT NOT NULL
    );
    CREATE INDEX reflections_step ON reflections(step, prompt);
    CREATE TABLE promises (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        text TEXT NOT NULL,
        made TEXT NOT NULL,
        due TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'kept', 'broken')),
        resolved TEXT
    );
    CREATE TABLE progress (
        author TEXT NOT NULL REFERENCES partners(id),
        step INTEGER NOT NULL,
        done INTEGER NOT NULL,
        how_it_went TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        PRIMARY KEY (author, step)
    );
    CREATE TABLE csi4 (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        day TEXT NOT NULL,
        i1 INTEGER NOT NULL, i2 INTEGER NOT NULL, i3 INTEGER NOT NULL, i4 INTEGER NOT NULL
    );
    """,
    # 1 -> 2: self-care log and consent to anonymised workshop aggregates (off by default).
    """
    CREATE TABLE selfcare (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        day TEXT NOT NULL,
        kind TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    ALTER TABLE partners ADD COLUMN consent_aggregate INTEGER NOT NULL DEFAULT 0;
    """,
    # 2 -> 3: a version on each entry, so a change made from an older view is refused; and
    # sittings, so that one unlock serves the pages of one sitting. Each row holds a
    # partner's key sealed with a random secret that only the browser has (a session cookie);
    # neither half opens anything alone, and a row is deleted on lock or after a quiet period.
    """
    CREATE TABLE sittings (
        id TEXT PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        wrapped BLOB NOT NULL,
        last_used REAL NOT NULL
    );
    ALTER TABLE checkins ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE reflections ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE promises ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE selfcare ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    """,
    # 3 -> 4: step 8 leaves no trace. Older versions let a partner mark it done with a note,
    # which the other partner, the facilitator, exports and charts then showed; those rows go
    # (with secure_delete on, and a truncating checkpoint after the migration, the bytes go too).
    # Step 8 never stored reflections; any row from a hand-edited file goes as well.
    """
    DELETE FROM progress WHERE step = 8;
    DELETE FROM reflections WHERE step = 8;
    """,
    # 4 -> 5: answering each other (a few words under the partner's shared entry, kept with
    # the entry: deleting the entry deletes its answers) and each partner's last visit to the
    # start page (for "what is new"). Written IF NOT EXISTS: safe to renumber at a merge.
    """
    CREATE TABLE IF NOT EXISTS replies (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        entry_table TEXT NOT NULL CHECK (entry_table IN ('reflections', 'promises')),
        entry_id INTEGER NOT NULL,
        text TEXT NOT NULL,
        at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1, entry_version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX IF NOT EXISTS replies_entry ON replies(entry_table, entry_id);
    CREATE TABLE IF NOT EXISTS visits (
        author TEXT PRIMARY KEY REFERENCES partners(id),
        at TEXT NOT NULL
    );
    """,
    # 5 -> 6: each partner's own agreement to a printable report for their counsellor (a row
    # while they agree; withdrawing deletes it). IF NOT EXISTS: written beside another
    # migration, so the two can be renumbered without either failing on a file that has both.
    """
    CREATE TABLE IF NOT EXISTS report_consent (
        author TEXT PRIMARY KEY REFERENCES partners(id),
        at TEXT NOT NULL
    );
    """,
    # 6 -> 7: each partner's interface language ("es"; NULL until chosen; issue 21).
    "ALTER TABLE partners ADD COLUMN lang TEXT",
    # 7 -> 8: a private check-in's numbers are sealed with its note (`journal`): mood and trust
    # are NULL in the file for new private check-ins (the wary-partner walk read "trust 2" of a
    # private check-in in the file). SQLite cannot drop NOT NULL, so the table is rebuilt.
    # Older private rows keep their numbers until their author next unlocks, when they are
    # sealed too (`Journal.seal_private_numbers`).
    """
    CREATE TABLE checkins_sealed (
        id INTEGER PRIMARY KEY,
        author TEXT NOT NULL REFERENCES partners(id),
        at TEXT NOT NULL,
        mood INTEGER CHECK (mood BETWEEN 1 AND 10),
        trust INTEGER CHECK (trust BETWEEN 1 AND 10),
        note TEXT NOT NULL DEFAULT '',
        note_sealed BLOB,
        visibility TEXT NOT NULL CHECK (visibility IN ('shared', 'private')),
        version INTEGER NOT NULL DEFAULT 1,
        CHECK (visibility = 'private' OR (mood IS NOT NULL AND trust IS NOT NULL)),
        CHECK ((mood IS NULL) = (trust IS NULL))
    );
    INSERT INTO checkins_sealed
        (id, author, at, mood, trust, note, note_sealed, visibility, version)
        SELECT id, author, at, mood, trust, note, note_sealed, visibility, version
        FROM checkins;
    DROP TABLE checkins;
    ALTER TABLE checkins_sealed RENAME TO checkins;
    CREATE INDEX checkins_at ON checkins(at);
    """,
]
