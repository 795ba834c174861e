-- Registry: economic organizations in full, products, documents, and diacritic-free search.
-- `*_folded` columns hold names lower-cased without Vietnamese diacritics ("ca phe dong trieu"),
-- computed by the application (ocop_domain::text::fold) so both backends search alike.

ALTER TABLE organizations ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN representative TEXT;
ALTER TABLE organizations ADD COLUMN phone TEXT;
ALTER TABLE organizations ADD COLUMN email TEXT;
ALTER TABLE organizations ADD COLUMN gln TEXT;
ALTER TABLE organizations ADD COLUMN food_safety_signed_on TEXT;
CREATE UNIQUE INDEX organizations_tax_code ON organizations (tax_code) WHERE tax_code IS NOT NULL;
CREATE INDEX organizations_kind ON organizations (kind);

CREATE TABLE products (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    code                 TEXT NOT NULL UNIQUE,
    code_year            INTEGER NOT NULL,
    code_sequence        INTEGER NOT NULL,
    organization_id      INTEGER NOT NULL REFERENCES organizations (id),
    province_code        TEXT NOT NULL REFERENCES localities (code),
    commune_code         TEXT NOT NULL REFERENCES localities (code),
    name                 TEXT NOT NULL,
    name_folded          TEXT NOT NULL,
    criteria_set         INTEGER NOT NULL CHECK (criteria_set BETWEEN 1 AND 26),
    description          TEXT,
    gtin                 TEXT UNIQUE,
    standard_code        TEXT,
    standard_declared_on TEXT,
    food_safety_certificate TEXT,
    food_safety_expires_on  TEXT,
    key_level            TEXT CHECK (key_level IN ('commune', 'province', 'national')),
    status               TEXT NOT NULL CHECK (status IN ('draft', 'active', 'suspended', 'discontinued')),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE UNIQUE INDEX products_sequence ON products (commune_code, code_year, code_sequence);
CREATE INDEX products_organization ON products (organization_id);
CREATE INDEX products_province ON products (province_code, commune_code);
CREATE INDEX products_criteria_set ON products (criteria_set);

-- Substring search over folded names: FTS5 with the trigram tokenizer, kept in step by triggers.
CREATE VIRTUAL TABLE products_search USING fts5 (
    name_folded, content = 'products', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_search (rowid, name_folded) VALUES (new.id, new.name_folded);
END;
CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_search (products_search, rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
END;
CREATE TRIGGER products_search_update AFTER UPDATE OF name_folded ON products BEGIN
    INSERT INTO products_search (products_search, rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
    INSERT INTO products_search (rowid, name_folded) VALUES (new.id, new.name_folded);
END;

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind   TEXT NOT NULL CHECK (owner_kind IN ('organization', 'product')),
    owner_id     INTEGER NOT NULL,
    purpose      TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX documents_owner ON documents (owner_kind, owner_id);
