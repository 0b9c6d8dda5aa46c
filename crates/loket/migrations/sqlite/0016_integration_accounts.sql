-- An account is a person's (medewerker) or a system's (koppeling). A koppeling has no password,
-- is made by a beheerder (created_by) and acts only through its API tokens; a token acts only
-- for the account it belongs to, so nobody can act, or be logged, as another person.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'medewerker' CHECK (kind IN ('medewerker', 'koppeling'));
ALTER TABLE users ADD COLUMN created_by BLOB REFERENCES users (id);
-- Accounts made before without a password were used only through tokens: they are koppelingen.
UPDATE users SET kind = 'koppeling' WHERE password_hash IS NULL;
