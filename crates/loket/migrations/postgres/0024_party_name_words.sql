-- The words of each customer's name, and each word's consonant skeleton marked with '~'
-- ("henk kramer" -> henk, kramer, ~hnk, ~krmr), so that finding a customer by name reads an index
-- range per typed word (a prefix of a word of the name) instead of scanning every name: at a
-- million customers a scan took 120-300 ms. Written by Loket with every name
-- (store::parties::name_words); the rows that exist are filled by Loket once after this
-- migration (store_backfills), because the words are split as Loket splits them.
-- Same as sqlite/0024_party_name_words.sql; COLLATE "C" sorts bytewise as SQLite does, so that
-- a prefix is one range whatever the database's collation.
CREATE TABLE party_name_words (
    word      TEXT COLLATE "C" NOT NULL,
    name_key  TEXT COLLATE "C" NOT NULL,
    party_id  UUID NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
    PRIMARY KEY (word, name_key, party_id)
);
CREATE INDEX party_name_words_party ON party_name_words (party_id, word);

-- Work that Loket does once after a migration, in Rust; a row is removed when it is done.
CREATE TABLE store_backfills (name TEXT PRIMARY KEY);
INSERT INTO store_backfills (name) VALUES ('party_name_words');
