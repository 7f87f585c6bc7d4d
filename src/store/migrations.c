/* The numbered schema migrations, compiled in (no files to find at run time).
 *
 * Rules: append only. A released migration is never edited, because a
 * database that already applied it would never see the edit; a fix is the
 * next number. The engine applies every pending migration, records each in
 * schema_migrations and sets PRAGMA user_version, all in one transaction.
 *
 * Enum columns hold the numeric values of records.h (kinds, statuses,
 * platforms), guarded by CHECK constraints so a bad value never lands;
 * booleans are 0/1; times are Unix seconds (UTC). Ids use AUTOINCREMENT so a
 * deleted site's id is never given to another site: findings, tickets and
 * old reports refer to ids. */
#include "store/store_impl.h"

static const char g_m1_register[] =
    /* Bookkeeping of the migrations themselves; user_version holds the same
     * number for a quick check at open. */
    "CREATE TABLE schema_migrations (\n"
    "  version INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  applied_at INTEGER NOT NULL\n"
    ") STRICT;\n"

    /* The unit tree: 地区 / 部门 / 乡镇. parent_id NULL = a root. */
    "CREATE TABLE units (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  parent_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,\n"
    "  name TEXT NOT NULL CHECK (name <> ''),\n"
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),\n"  /* region, department, town */
    "  region_code TEXT,\n"
    "  contact TEXT,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    /* UNIQUE (parent_id, name) would let two roots share a name, because
     * SQLite (like the SQL standard) treats NULLs as distinct; 0 stands for
     * "no parent" in the index, as it does in struct gw_unit. */
    "CREATE UNIQUE INDEX units_parent_name ON units (ifnull(parent_id, 0), name);\n"
    "CREATE INDEX units_parent ON units (parent_id);\n"
    "CREATE INDEX units_name ON units (name);\n"

    /* Websites. */
    "CREATE TABLE sites (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  name TEXT NOT NULL CHECK (name <> ''),\n"
    "  url TEXT NOT NULL CHECK (url <> '') UNIQUE,\n"
    "  code TEXT NOT NULL CHECK (code <> '') UNIQUE,\n"
    "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,\n"
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),\n"     /* portal, department */
    "  external_service INTEGER NOT NULL CHECK (external_service IN (0, 1)),\n"
    "  sponsor TEXT,\n"
    "  supervisor TEXT,\n"
    "  status INTEGER NOT NULL CHECK (status IN (1, 2, 3)),\n" /* running, closed, migrated */
    "  note TEXT,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX sites_unit ON sites (unit_id);\n"

    /* New-media accounts. */
    "CREATE TABLE accounts (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  name TEXT NOT NULL CHECK (name <> ''),\n"
    "  platform INTEGER NOT NULL CHECK (platform BETWEEN 1 AND 8),\n" /* wechat-sub .. other */
    "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,\n"
    "  cert_subject TEXT,\n"
    "  url TEXT,\n"
    "  status INTEGER NOT NULL CHECK (status IN (1, 2, 3)),\n" /* running, suspended, closed */
    "  note TEXT,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  UNIQUE (platform, name)\n"
    ") STRICT;\n"
    "CREATE INDEX accounts_unit ON accounts (unit_id);\n";

static const struct gw_store_migration g_migrations[] = {
  {1, "register: units, sites, accounts", g_m1_register},
};

const struct gw_store_migration *gw_store_migrations(size_t *n)
{
  *n = sizeof g_migrations / sizeof g_migrations[0];
  return g_migrations;
}
