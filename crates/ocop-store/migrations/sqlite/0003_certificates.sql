-- OCOP certificates: stars a product holds from a recognition decision, valid 36 months.
-- Recorded here by the registry (certificates issued before the system existed); the
-- evaluation cycle will issue them too. Stars show publicly only while a certificate is valid.
CREATE TABLE certificates (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id         INTEGER NOT NULL REFERENCES products (id),
    number             TEXT NOT NULL UNIQUE,
    stars              INTEGER NOT NULL CHECK (stars BETWEEN 3 AND 5),
    decision_number    TEXT NOT NULL,
    decided_on         TEXT NOT NULL,
    expires_on         TEXT NOT NULL,
    revoked_on         TEXT,
    revocation_grounds TEXT,
    recorded_by        INTEGER REFERENCES users (id),
    created_at         TEXT NOT NULL
);
CREATE INDEX certificates_product ON certificates (product_id, expires_on);
