-- Files attached to a dossier's self-assessment (Form 02), each as evidence for one criterion
-- (a certificate, a contract, a photo…). The bytes are on disk under their SHA-256.
CREATE TABLE dossier_evidence (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id   INTEGER NOT NULL REFERENCES dossiers (id),
    criterion    TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX dossier_evidence_dossier ON dossier_evidence (dossier_id, criterion);

-- A record's history (a dossier's steps) is read from the audit log by target.
CREATE INDEX audit_log_target ON audit_log (target, id);
