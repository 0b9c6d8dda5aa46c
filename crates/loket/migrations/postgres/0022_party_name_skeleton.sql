-- A name's consonant skeleton ("henk kramer" -> "hnk krmr"): the vowels left out, a doubled
-- consonant single. A name typed with a wrong or missing vowel ("Kramr", "Kremer") or a single
-- letter where the name doubles it ("Janssen" as "Jansen") has the same skeleton, so the customer
-- search finds it when the name as typed finds nobody. Written by Loket with every name
-- (store::parties::name_skeleton); the rows that exist are filled here with the same steps.
-- Same as sqlite/0022_party_name_skeleton.sql.
ALTER TABLE parties ADD COLUMN name_skeleton TEXT NOT NULL DEFAULT '';
UPDATE parties SET name_skeleton = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name_key, 'a', ''), 'e', ''), 'i', ''), 'o', ''), 'u', ''), 'y', ''), 'bb', 'b'), 'cc', 'c'), 'dd', 'd'), 'ff', 'f'), 'gg', 'g'), 'hh', 'h'), 'jj', 'j'), 'kk', 'k'), 'll', 'l'), 'mm', 'm'), 'nn', 'n'), 'pp', 'p'), 'qq', 'q'), 'rr', 'r'), 'ss', 's'), 'tt', 't'), 'vv', 'v'), 'ww', 'w'), 'xx', 'x'), 'zz', 'z');
