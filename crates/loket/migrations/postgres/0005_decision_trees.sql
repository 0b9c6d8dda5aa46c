-- Beslisbomen (decision trees): versioned like articles and published through the same cycle.
-- The tree itself is a JSON document (nodes with a question and answers, or an outcome),
-- validated by the application before it is stored: no cycles, no dead ends, nothing unreachable.

CREATE TABLE decision_trees (
    id                UUID PRIMARY KEY,
    owner_id          UUID REFERENCES users (id),
    latest_version    INTEGER NOT NULL,
    published_version INTEGER,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE decision_tree_versions (
    tree_id      UUID NOT NULL REFERENCES decision_trees (id),
    version      INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('concept', 'ter_beoordeling', 'goedgekeurd', 'gepubliceerd', 'vervangen', 'gearchiveerd')),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    definition   TEXT NOT NULL,
    substantive  BOOLEAN NOT NULL,
    urgent       BOOLEAN NOT NULL DEFAULT FALSE,
    reason       TEXT NOT NULL,
    author_name  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    approved_by  TEXT,
    published_by TEXT,
    published_at TIMESTAMPTZ,
    PRIMARY KEY (tree_id, version)
);
