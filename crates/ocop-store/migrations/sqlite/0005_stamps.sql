-- Production lots, stamp batches and the ranges that activate or void stamps (DESIGN §4).
-- A batch is one row however many stamps it holds; codes and PINs are derived from serials
-- and keys, never stored.
CREATE TABLE lots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    code        TEXT NOT NULL,
    produced_on TEXT NOT NULL,
    expires_on  TEXT,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    area_code   TEXT,
    notes       TEXT,
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT NOT NULL,
    UNIQUE (product_id, code)
);

-- The next serial to hand out; one row. Serials start at 1 and are never reused.
CREATE TABLE stamp_serials (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    next_serial INTEGER NOT NULL
);
INSERT INTO stamp_serials (id, next_serial) VALUES (1, 1);

CREATE TABLE stamp_batches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id   INTEGER NOT NULL REFERENCES products (id),
    kid          INTEGER NOT NULL,
    first_serial INTEGER NOT NULL UNIQUE,
    count        INTEGER NOT NULL CHECK (count > 0),
    created_by   INTEGER REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX stamp_batches_product ON stamp_batches (product_id, id);

CREATE TABLE stamp_ranges (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id    INTEGER NOT NULL REFERENCES stamp_batches (id),
    kind        TEXT NOT NULL CHECK (kind IN ('activated', 'voided')),
    from_serial INTEGER NOT NULL,
    to_serial   INTEGER NOT NULL CHECK (to_serial >= from_serial),
    lot_id      INTEGER REFERENCES lots (id),
    reason      TEXT,
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT NOT NULL,
    CHECK ((kind = 'activated') = (lot_id IS NOT NULL))
);
CREATE INDEX stamp_ranges_batch ON stamp_ranges (batch_id, from_serial);
CREATE INDEX stamp_ranges_lot ON stamp_ranges (lot_id) WHERE lot_id IS NOT NULL;
