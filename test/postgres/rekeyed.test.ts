import { reportedExactlyWhenRefused, type RefusalCase } from '../helpers/postgres';

/**
 * migration/data-dependent on a unique key re-created over a column a join mapped one-to-one from
 * a column of the old key (a table re-keyed onto its parent's new id) says what PostgreSQL does:
 * on rows that satisfy the old key, the new key is built exactly when the rule stays quiet.
 */
const EARLIER = {
  'db/migrations/0001_links.sql': 'CREATE TABLE docs (id integer PRIMARY KEY);\nCREATE TABLE links (id text PRIMARY KEY, doc_id integer NOT NULL, email text NOT NULL);\nCREATE UNIQUE INDEX links_doc_id_email_key ON links (doc_id, email);\n',
};
// Two documents shared with the same address, one with two addresses: distinct under (doc_id, email) only.
const ROWS = "INSERT INTO docs VALUES (1), (2), (12);\nINSERT INTO links VALUES ('a', 1, 'x@example.com'), ('b', 2, 'x@example.com'), ('c', 12, 'y@example.com'), ('d', 1, 'z@example.com');\n";

const rekey = (between = '', key = 'envelope_id, email') =>
  'BEGIN;\nDROP INDEX links_doc_id_email_key;\nALTER TABLE links ADD COLUMN envelope_id text;\nCREATE TABLE envelopes (id text PRIMARY KEY, legacy_id text NOT NULL);\n' +
  "INSERT INTO envelopes (id, legacy_id) SELECT gen_random_uuid()::text, 'doc_' || d.id FROM docs d;\n" +
  "UPDATE links SET envelope_id = e.id FROM docs d JOIN envelopes e ON e.legacy_id = 'doc_' || d.id WHERE links.doc_id = d.id;\n" +
  `${between}ALTER TABLE links DROP COLUMN doc_id;\nCREATE UNIQUE INDEX links_envelope_key ON links (${key});\nCOMMIT;\n`;

const CASES: RefusalCase[] = [
  { name: 'the old key renamed onto the envelope', text: rekey(), fails: false },
  { name: 'a key that leaves out a column of the old one', text: rekey('', 'envelope_id'), fails: true },
  { name: 'a key column rewritten after the mapping', text: rekey("UPDATE links SET email = 'x@example.com';\n"), fails: true },
];

reportedExactlyWhenRefused('a key re-created over a column mapped one-to-one from the old key is reported exactly when PostgreSQL refuses it', 'migration/data-dependent', 'db/migrations/0002_envelopes.sql', EARLIER, ROWS, /could not create unique index/, CASES);
