-- Verification: every scan of a stamp, each stamp's running activity (scans, places, PIN),
-- recalls of lots, alerts from the anomaly rules, and shoppers' reports of suspected fakes.
ALTER TABLE lots ADD COLUMN recalled_at TEXT;
ALTER TABLE lots ADD COLUMN recall_reason TEXT;

-- One row per answered scan, written before the answer by the batched scan writer. `place` is
-- a keyed hash of the client's network prefix, never the address. `serial` is NULL for codes
-- that are not ours.
CREATE TABLE stamp_scans (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    serial     INTEGER,
    product_id INTEGER,
    verdict    TEXT NOT NULL,
    first_scan INTEGER NOT NULL,
    place      TEXT NOT NULL,
    latitude   REAL,
    longitude  REAL,
    at         TEXT NOT NULL
);
CREATE INDEX stamp_scans_product ON stamp_scans (product_id, at);
CREATE INDEX stamp_scans_place ON stamp_scans (place, at);

-- Running totals per stamp, so a scan reads one row however often the stamp was scanned.
CREATE TABLE stamp_activity (
    serial               INTEGER PRIMARY KEY,
    scans                INTEGER NOT NULL DEFAULT 0,
    places               INTEGER NOT NULL DEFAULT 0,
    first_at             TEXT,
    last_at              TEXT,
    pin_first_checked_at TEXT,
    pin_wrong            INTEGER NOT NULL DEFAULT 0,
    pin_reused           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stamp_scan_places (
    serial INTEGER NOT NULL,
    place  TEXT NOT NULL,
    PRIMARY KEY (serial, place)
);

CREATE TABLE alerts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- One alert per cause: e.g. `many_scans:1234`, `guessing:<place>:<hour>`.
    dedupe_key    TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    serial        INTEGER,
    product_id    INTEGER REFERENCES products (id),
    province_code TEXT,
    details       TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'seen', 'closed')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX alerts_product ON alerts (product_id, id);
CREATE INDEX alerts_province ON alerts (province_code, id);

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT NOT NULL,
    serial        INTEGER,
    product_id    INTEGER REFERENCES products (id),
    province_code TEXT,
    what          TEXT NOT NULL,
    place         TEXT,
    contact       TEXT,
    photo_hash    TEXT,
    photo_type    TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX reports_product ON reports (product_id, id);
CREATE INDEX reports_province ON reports (province_code, id);
