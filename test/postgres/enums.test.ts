import { reportedExactlyWhenRefused, type RefusalCase } from '../helpers/postgres';

/**
 * migration/data-dependent on an enum swap says what PostgreSQL does: each migration runs on a
 * database whose rows hold every value the earlier migrations gave the type, and the rule reports
 * the conversion exactly when PostgreSQL refuses it.
 */
const EARLIER = {
  'db/migrations/0001_init.sql': `CREATE TYPE "Status" AS ENUM ('draft', 'live', 'archived');\nCREATE TABLE "Survey" (id text PRIMARY KEY, "status" "Status" NOT NULL DEFAULT 'draft');\n`,
  'db/migrations/0002_scheduled.sql': `ALTER TYPE "Status" ADD VALUE 'scheduled';\n`,
};
const ROWS = `INSERT INTO "Survey" VALUES ('1', 'draft'), ('2', 'live'), ('3', 'archived'), ('4', 'scheduled');\n`;

const swap = (values: string, using = `("status"::text::"Status_new")`, before = '') =>
  `${before}BEGIN;\nCREATE TYPE "Status_new" AS ENUM (${values});\nALTER TABLE "Survey" ALTER COLUMN "status" DROP DEFAULT;\n` +
  `ALTER TABLE "Survey" ALTER COLUMN "status" TYPE "Status_new" USING ${using};\nALTER TYPE "Status" RENAME TO "Status_old";\n` +
  `ALTER TYPE "Status_new" RENAME TO "Status";\nDROP TYPE "Status_old";\nALTER TABLE "Survey" ALTER COLUMN "status" SET DEFAULT 'draft';\nCOMMIT;\n`;

const CASES: RefusalCase[] = [
  { name: 'values reordered and one added', text: swap(`'scheduled', 'draft', 'live', 'archived', 'paused'`), fails: false },
  { name: 'a value dropped that a row holds', text: swap(`'draft', 'live', 'scheduled'`), fails: true },
  { name: 'the rows moved off the dropped values first', text: swap(`'draft', 'live'`, undefined, `UPDATE "Survey" SET "status" = 'draft' WHERE "status" IN ('archived', 'scheduled');\n`), fails: false },
  { name: 'only some of the rows moved off', text: swap(`'draft', 'live'`, undefined, `UPDATE "Survey" SET "status" = 'draft' WHERE "status" IN ('archived', 'scheduled') AND id <> '3';\n`), fails: true },
  { name: 'a USING CASE mapping the dropped values', text: swap(`'draft', 'live'`, `(CASE "status"::text WHEN 'archived' THEN 'draft' WHEN 'scheduled' THEN 'live' ELSE "status"::text END)::"Status_new"`), fails: false },
];

reportedExactlyWhenRefused('an enum swap is reported exactly when PostgreSQL refuses it', 'migration/data-dependent', 'db/migrations/0003_status.sql', EARLIER, ROWS, /invalid input value for enum/, CASES);
