-- The OCOP cycle and evaluation (DESIGN §2): yearly cycles, producers' ideas and business plans
-- with their screening and the support given, dossiers with their forms, councils' rounds and
-- members, members' score sheets. Forms and answers are JSON text read by ocop_domain.
CREATE TABLE cycles (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    province_code TEXT NOT NULL REFERENCES localities (code),
    year          INTEGER NOT NULL,
    theme         TEXT NOT NULL,
    -- The start of each of the six steps (Decision 490/2018).
    steps         TEXT NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL,
    UNIQUE (province_code, year)
);

-- Product ideas and business plans: the same screening (accept / return / reject).
CREATE TABLE proposals (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('idea', 'plan')),
    cycle_id        INTEGER NOT NULL REFERENCES cycles (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    idea_id         INTEGER REFERENCES proposals (id),
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('submitted', 'accepted', 'returned', 'rejected')),
    reason          TEXT,
    decided_by      INTEGER REFERENCES users (id),
    decided_at      TEXT,
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX proposals_cycle ON proposals (cycle_id, kind, state);
CREATE INDEX proposals_organization ON proposals (organization_id);

-- Support given while an accepted plan is carried out.
CREATE TABLE plan_support (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     INTEGER NOT NULL REFERENCES proposals (id),
    kind        TEXT NOT NULL CHECK (kind IN ('training', 'advice', 'loan', 'other')),
    description TEXT NOT NULL,
    amount_vnd  INTEGER,
    given_on    TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX plan_support_plan ON plan_support (plan_id);

-- A council's round: provincial (province_code set) or central.
CREATE TABLE rounds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    level         TEXT NOT NULL CHECK (level IN ('province', 'central')),
    province_code TEXT REFERENCES localities (code),
    name          TEXT NOT NULL,
    held_by       TEXT NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL,
    CHECK ((level = 'central') = (province_code IS NULL))
);

CREATE TABLE council_members (
    round_id INTEGER NOT NULL REFERENCES rounds (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    role     TEXT NOT NULL CHECK (role IN ('chair', 'secretary', 'member')),
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX council_members_user ON council_members (user_id);

CREATE TABLE dossiers (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    kind             TEXT NOT NULL CHECK (kind IN ('first_time', 'upgrade', 'reevaluation')),
    state            TEXT NOT NULL,
    -- Form 02: the producer's own answers and evidence per criterion.
    self_assessment  TEXT NOT NULL,
    -- Form 03: the commune's report.
    commune_report   TEXT,
    submitted_on     TEXT,
    commune_due_on   TEXT,
    return_reason    TEXT,
    return_due_on    TEXT,
    round_id         INTEGER REFERENCES rounds (id),
    -- The consolidated result of the last round (JSON), its total and stars.
    result           TEXT,
    total            REAL,
    stars            INTEGER,
    certificate_id   INTEGER REFERENCES certificates (id),
    created_by       INTEGER REFERENCES users (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX dossiers_product ON dossiers (product_id);
CREATE INDEX dossiers_round ON dossiers (round_id);
CREATE INDEX dossiers_state ON dossiers (state);

-- One council member's sheet for one dossier in one round.
CREATE TABLE score_sheets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id   INTEGER NOT NULL REFERENCES dossiers (id),
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    answers      TEXT NOT NULL,
    notes        TEXT,
    submitted_at TEXT,
    updated_at   TEXT NOT NULL,
    UNIQUE (dossier_id, round_id, user_id)
);
