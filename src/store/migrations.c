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

/* Migration 2: the crawler's tables (store/crawl_records.h has the meaning
 * of every column). Write volume drives the shape: a crawl writes one
 * crawl_urls row per URL and one links row per link occurrence, tens of
 * thousands a second, so crawl_urls rows are plain rowid tables (no
 * AUTOINCREMENT bookkeeping), links are keyed by (from_id, seq) without a
 * rowid and refer to URLs by id, not by text, and bodies are compressed
 * and shared by content. */
static const char g_m2_crawl[] =
    "CREATE TABLE crawls (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),\n"  /* running, done, interrupted */
    "  started_at INTEGER NOT NULL,\n"
    "  finished_at INTEGER,\n"
    "  as_of INTEGER NOT NULL,\n"
    "  prev_id INTEGER REFERENCES crawls(id) ON DELETE SET NULL,\n"
    "  runs INTEGER NOT NULL CHECK (runs >= 1),\n"
    "  options TEXT NOT NULL,\n"
    "  robots TEXT,\n"
    "  summary TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX crawls_site ON crawls (site_id, id);\n"

    /* Response bodies, zlib-compressed; hash (CRC-32 and Adler-32 of the
     * raw bytes) finds candidates for sharing, a byte comparison confirms. */
    "CREATE TABLE bodies (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash INTEGER NOT NULL,\n"
    "  size INTEGER NOT NULL CHECK (size >= 0),\n"
    "  zdata BLOB NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX bodies_hash ON bodies (hash, size);\n"

    "CREATE TABLE crawl_urls (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  crawl_id INTEGER NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,\n"
    "  url TEXT NOT NULL CHECK (url <> ''),\n"
    "  depth INTEGER NOT NULL CHECK (depth >= 0),\n"
    "  from_id INTEGER,\n"
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3, 4)),\n"   /* page, resource, external, robots */
    "  internal INTEGER NOT NULL CHECK (internal IN (0, 1)),\n"
    "  state INTEGER NOT NULL CHECK (state IN (1, 2, 3, 4)),\n" /* queued, done, failed, skipped */
    "  skip INTEGER NOT NULL DEFAULT 0 CHECK (skip BETWEEN 0 AND 4),\n"
    "  skip_detail TEXT,\n"
    "  attempts INTEGER NOT NULL DEFAULT 0,\n"
    "  method TEXT,\n"
    "  http_status INTEGER NOT NULL DEFAULT 0,\n"
    "  error INTEGER NOT NULL DEFAULT 0 CHECK (error BETWEEN 0 AND 13),\n"
    "  error_text TEXT,\n"
    "  redirects INTEGER NOT NULL DEFAULT 0,\n"
    "  redirect_chain TEXT,\n"
    "  final_url TEXT,\n"
    "  content_type TEXT,\n"
    "  charset TEXT,\n"
    "  charset_source TEXT,\n"
    "  body_id INTEGER,\n"
    "  body_bytes INTEGER NOT NULL DEFAULT 0,\n"
    "  body_truncated INTEGER NOT NULL DEFAULT 0,\n"
    "  parsed INTEGER NOT NULL DEFAULT 0,\n"
    "  title TEXT,\n"
    "  links INTEGER NOT NULL DEFAULT 0,\n"
    "  fetched_at INTEGER,\n"
    "  etag TEXT,\n"
    "  last_modified TEXT,\n"
    "  elapsed_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  ip TEXT,\n"
    "  ip_family INTEGER NOT NULL DEFAULT 0 CHECK (ip_family IN (0, 4, 6)),\n"
    "  reused_id INTEGER,\n"
    "  attempt_log TEXT,\n"
    "  UNIQUE (crawl_id, url)\n"
    ") STRICT;\n"
    "CREATE INDEX crawl_urls_state ON crawl_urls (crawl_id, state);\n"

    "CREATE TABLE links (\n"
    "  from_id INTEGER NOT NULL REFERENCES crawl_urls(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL CHECK (seq >= 0),\n"
    "  to_id INTEGER NOT NULL REFERENCES crawl_urls(id) ON DELETE CASCADE,\n"
    "  tag TEXT NOT NULL,\n"
    "  anchor TEXT NOT NULL,\n"
    "  hidden INTEGER NOT NULL DEFAULT 0,\n"
    "  line INTEGER NOT NULL DEFAULT 0,\n"
    "  in_footer INTEGER NOT NULL DEFAULT 0 CHECK (in_footer IN (0, 1)),\n"
    "  on_homepage INTEGER NOT NULL DEFAULT 0 CHECK (on_homepage IN (0, 1)),\n"
    "  PRIMARY KEY (from_id, seq)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX links_to ON links (to_id);\n";

/* Migration 3: check runs and their findings (store/check_records.h and
 * checks/finding.h give the meaning of every column). A check run is one
 * inspection of one site: (site, crawl, as-of time) identifies it, so
 * running the checks again on the same crawl for the same as-of time
 * replaces that run's findings instead of adding a second copy. Findings
 * are keyed like struct gw_finding's identity; SQLite treats NULLs as
 * distinct in a UNIQUE constraint, so the identity index reads the
 * absent side (site or account) as 0. The review stage will remember
 * dismissals by fingerprint, hence its index. */
static const char g_m3_findings[] =
    "CREATE TABLE check_runs (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  crawl_id INTEGER REFERENCES crawls(id) ON DELETE SET NULL,\n"
    "  as_of INTEGER NOT NULL,\n"
    "  started_at INTEGER NOT NULL,\n"
    "  finished_at INTEGER,\n"
    "  checks TEXT NOT NULL DEFAULT ''\n" /* the check ids run, sorted, comma-separated */
    ") STRICT;\n"
    "CREATE UNIQUE INDEX check_runs_identity ON check_runs (site_id, ifnull(crawl_id, 0), as_of);\n"

    "CREATE TABLE findings (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  run_id INTEGER NOT NULL REFERENCES check_runs(id) ON DELETE CASCADE,\n"
    "  \"check\" TEXT NOT NULL CHECK (\"check\" <> ''),\n"
    "  rule TEXT NOT NULL CHECK (rule <> ''),\n"
    "  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),\n" /* veto, deduct, warn, info */
    "  needs_review INTEGER NOT NULL CHECK (needs_review IN (0, 1)),\n"
    "  site_id INTEGER REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,\n"
    "  crawl_id INTEGER REFERENCES crawls(id) ON DELETE SET NULL,\n"
    "  \"key\" TEXT NOT NULL CHECK (\"key\" <> ''),\n"
    "  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 16),\n"
    "  url TEXT,\n"
    "  target TEXT,\n"
    "  locator TEXT,\n"
    "  snippet TEXT,\n"
    "  title TEXT NOT NULL,\n"
    "  detail TEXT,\n"
    "  observed_json TEXT,\n"
    "  observed_at INTEGER NOT NULL,\n"
    "  CHECK ((site_id IS NULL) <> (account_id IS NULL))\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX findings_identity ON findings (run_id, \"check\", ifnull(site_id, 0), ifnull(account_id, 0),"
    " \"key\");\n"
    "CREATE INDEX findings_fingerprint ON findings (fingerprint);\n"
    "CREATE INDEX findings_site ON findings (site_id);\n";

/* The availability monitor (src/monitor/). avail_slots: one row per
 * scheduled homepage probe, (site_id, family, slot_at) unique so a slot is
 * done once; state 1 running, 2 done; verdict 1 ok, 2 fail, 3 unknown.
 * avail_probes: each HTTP attempt behind a slot (first probe, the
 * confirmation, control-URL probes). alerts: events detected, sent or
 * muted. */
static const char g_m4_monitor[] =
    "CREATE TABLE avail_slots (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  family INTEGER NOT NULL CHECK (family IN (4, 6)),\n"
    "  slot_at INTEGER NOT NULL,\n"
    "  state INTEGER NOT NULL CHECK (state IN (1, 2)),\n"
    "  runs INTEGER NOT NULL CHECK (runs >= 1),\n"
    "  started_at INTEGER NOT NULL,\n"
    "  finished_at INTEGER,\n"
    "  verdict INTEGER NOT NULL DEFAULT 0 CHECK (verdict BETWEEN 0 AND 3),\n"
    "  reason INTEGER NOT NULL DEFAULT 0 CHECK (reason BETWEEN 0 AND 10),\n"
    "  http_status INTEGER NOT NULL DEFAULT 0,\n"
    "  attempts INTEGER NOT NULL DEFAULT 0,\n"
    "  total_us INTEGER NOT NULL DEFAULT 0,\n"
    "  detail TEXT,\n"
    "  UNIQUE (site_id, family, slot_at)\n"
    ") STRICT;\n"
    "CREATE INDEX avail_slots_at ON avail_slots (slot_at);\n"
    "CREATE TABLE avail_probes (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  slot_id INTEGER NOT NULL REFERENCES avail_slots(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL CHECK (seq >= 1),\n"
    "  role INTEGER NOT NULL CHECK (role IN (1, 2)),\n"
    "  family INTEGER NOT NULL CHECK (family IN (4, 6)),\n"
    "  at INTEGER NOT NULL,\n"
    "  url TEXT NOT NULL,\n"
    "  ip TEXT,\n"
    "  dns_us INTEGER NOT NULL, connect_us INTEGER NOT NULL, tls_us INTEGER NOT NULL,\n"
    "  ttfb_us INTEGER NOT NULL, total_us INTEGER NOT NULL,\n"
    "  http_status INTEGER NOT NULL,\n"
    "  error INTEGER NOT NULL,\n"
    "  error_text TEXT,\n"
    "  bytes INTEGER NOT NULL,\n"
    "  UNIQUE (slot_id, seq)\n"
    ") STRICT;\n"
    "CREATE TABLE alerts (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  family INTEGER NOT NULL CHECK (family IN (4, 6)),\n"
    "  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 4),\n"
    "  at INTEGER NOT NULL,\n"
    "  muted INTEGER NOT NULL CHECK (muted IN (0, 1)),\n"
    "  sent INTEGER NOT NULL, failed INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX alerts_site ON alerts (site_id, family, kind, at);\n";

static const char g_m5_baselines[] =
    /* Per-site baselines a check compares later crawls with (the homepage
     * signature of security.defacement): one row per (site, kind), replaced
     * when an inspector accepts the current state. data is the check's own
     * JSON; threshold its change ratio (0..1) that raises a finding. */
    "CREATE TABLE baselines (\n"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  kind TEXT NOT NULL CHECK (kind <> ''),\n"
    "  crawl_id INTEGER NOT NULL,\n"
    "  set_at INTEGER NOT NULL,\n"
    "  threshold REAL NOT NULL CHECK (threshold > 0 AND threshold <= 1),\n"
    "  data TEXT NOT NULL,\n"
    "  PRIMARY KEY (site_id, kind)\n"
    ") STRICT;\n";
/* Inspections (src/inspect/, docs/inspect.md). An inspection is one
 * recorded run of crawl, checks and scoring over chosen sites for one as-of
 * time, usually a quarter. inspection_sites keeps per site what is done
 * (state 1 pending, 2 crawled, 3 checked, 4 scored) with the crawl and the
 * check run it used, so a re-run continues where it stopped and reuses
 * them; score is in hundredths, result 1 pass, 2 fail, 3 undetermined.
 * finding_reviews is the review log by fingerprint (action 1 confirm,
 * 2 dismiss, 3 add for a manual finding): the latest confirm or dismiss of
 * a fingerprint holds, across inspections, and nothing is ever overwritten
 * so who decided what and why stays on record. */
static const char g_m6_inspect[] =
    "CREATE TABLE inspections (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  quarter TEXT,\n"
    "  as_of INTEGER NOT NULL,\n"
    "  rules_path TEXT NOT NULL,\n"
    "  rules_id TEXT NOT NULL,\n"
    "  started_at INTEGER NOT NULL,\n"
    "  finished_at INTEGER\n"
    ") STRICT;\n"
    "CREATE INDEX inspections_quarter ON inspections (quarter);\n"
    "CREATE TABLE inspection_sites (\n"
    "  inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,\n"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 4),\n"
    "  crawl_id INTEGER REFERENCES crawls(id) ON DELETE SET NULL,\n"
    "  run_id INTEGER REFERENCES check_runs(id) ON DELETE SET NULL,\n"
    "  score INTEGER,\n"
    "  result INTEGER NOT NULL DEFAULT 0 CHECK (result BETWEEN 0 AND 3),\n"
    "  reason TEXT,\n"
    "  error TEXT,\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY (inspection_id, site_id)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE finding_reviews (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 16),\n"
    "  action INTEGER NOT NULL CHECK (action BETWEEN 1 AND 3),\n"
    "  who TEXT NOT NULL CHECK (who <> ''),\n"
    "  at INTEGER NOT NULL,\n"
    "  reason TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX finding_reviews_fp ON finding_reviews (fingerprint, id);\n";
static const char g_m7_column_overrides[] =
    "CREATE TABLE column_overrides (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  url TEXT NOT NULL CHECK (url <> ''),\n"
    "  class TEXT NOT NULL CHECK (class <> ''),\n"
    "  reason TEXT NOT NULL CHECK (reason <> ''),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  UNIQUE (site_id, url)\n"
    ") STRICT;\n";

/* The service's job queue (src/store/jobs_store.h): scheduled crawls,
 * checks and inspections of `govwatch serve`. (kind, site, due_at) is
 * unique (site 0 = none, for inspections) so planning a day twice adds
 * nothing; state 1 pending, 2 running, 3 done, 4 failed. finding_alerts:
 * veto-level findings announced, one row per finding fingerprint. */
static const char g_m8_jobs[] =
    "CREATE TABLE jobs (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),\n"
    "  site_id INTEGER REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  due_at INTEGER NOT NULL,\n"
    "  state INTEGER NOT NULL CHECK (state IN (1, 2, 3, 4)),\n"
    "  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),\n"
    "  next_at INTEGER NOT NULL,\n"
    "  started_at INTEGER,\n"
    "  finished_at INTEGER,\n"
    "  ref_id INTEGER,\n"
    "  detail TEXT,\n"
    "  CHECK ((kind = 3) = (site_id IS NULL))\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX jobs_identity ON jobs (kind, ifnull(site_id, 0), due_at);\n"
    "CREATE INDEX jobs_queue ON jobs (state, next_at);\n"
    "CREATE TABLE finding_alerts (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,\n"
    "  fingerprint TEXT NOT NULL,\n"
    "  rule TEXT NOT NULL,\n"
    "  at INTEGER NOT NULL,\n"
    "  sent INTEGER NOT NULL DEFAULT 0,\n"
    "  failed INTEGER NOT NULL DEFAULT 0,\n"
    "  UNIQUE (site_id, fingerprint)\n"
    ") STRICT;\n";

/* New-media accounts in inspections (src/store/account_store.h):
 * inspection_accounts holds each account's latest verdict in an inspection
 * (result 0 not scored, else enum gw_score_result); account_findings holds
 * the findings about an account in an inspection - the register check's
 * and the manual ones - like findings but keyed by the inspection, since
 * an account has no crawl or check run. The fingerprint index serves
 * review by fingerprint (finding_reviews). */
static const char g_m9_accounts[] =
    "CREATE TABLE inspection_accounts (\n"
    "  inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,\n"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,\n"
    "  result INTEGER NOT NULL DEFAULT 0 CHECK (result BETWEEN 0 AND 3),\n"
    "  reason TEXT,\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY (inspection_id, account_id)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE account_findings (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,\n"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,\n"
    "  \"check\" TEXT NOT NULL CHECK (\"check\" <> ''),\n"
    "  rule TEXT NOT NULL CHECK (rule <> ''),\n"
    "  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),\n"
    "  needs_review INTEGER NOT NULL CHECK (needs_review IN (0, 1)),\n"
    "  \"key\" TEXT NOT NULL CHECK (\"key\" <> ''),\n"
    "  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 16),\n"
    "  url TEXT,\n"
    "  target TEXT,\n"
    "  locator TEXT,\n"
    "  snippet TEXT,\n"
    "  title TEXT NOT NULL,\n"
    "  detail TEXT,\n"
    "  observed_json TEXT,\n"
    "  observed_at INTEGER NOT NULL,\n"
    "  UNIQUE (inspection_id, account_id, \"check\", \"key\")\n"
    ") STRICT;\n"
    "CREATE INDEX account_findings_fp ON account_findings (fingerprint);\n";

/* Migration 10: crawl speed. bodies.codec says how a body is compressed
 * (enum gw_body_codec: 0 zlib, every body before this migration; 1
 * Zstandard). crawl_urls.notfound is the page model's not-found phrases of
 * a parsed page (a bit mask over html/notfound.h's list, 0 = none), kept
 * by the crawler so the soft-404 judgment reads back only the pages that
 * say "not found"; NULL for rows crawled before this migration. */
static const char g_m10_crawl_speed[] =
    "ALTER TABLE bodies ADD COLUMN codec INTEGER NOT NULL DEFAULT 0 CHECK (codec IN (0, 1));\n"
    "ALTER TABLE crawl_urls ADD COLUMN notfound INTEGER;\n";

/* Migration 11: a page's links as one row (store/linkpack.h has the
 * value's layout): the crawler wrote one links row per occurrence, ~25 a
 * page, and those inserts were a third of its time; every reader reads a
 * page's links together. The rows of links are packed page by page by
 * gw_links_pack, an aggregate the store defines on its connection (sqlite.c).
 * The target's foreign key goes with the table: targets are URLs of the
 * same crawl, and a crawl's URLs are deleted together. */
static const char g_m11_page_links[] =
    "CREATE TABLE page_links (\n"
    "  from_id INTEGER PRIMARY KEY REFERENCES crawl_urls(id) ON DELETE CASCADE,\n"
    "  n INTEGER NOT NULL CHECK (n > 0),\n"
    "  packed BLOB NOT NULL\n"
    ") STRICT;\n"
    "INSERT INTO page_links (from_id, n, packed)\n"
    "  SELECT from_id, count(*), gw_links_pack(from_id, seq, to_id, tag, anchor, hidden, line, in_footer, on_homepage)\n"
    "  FROM links GROUP BY from_id;\n"
    "DROP TABLE links;\n";

/* Migration 12: CHECK constraints without IN lists of three or more values.
 * SQLite 3.40 builds a temporary B-tree for such a list every time it
 * checks the constraint: five for each crawl URL written (three on insert,
 * two on its result), about 200 M of the 4.1 G instructions of a
 * 2,000-page crawl, most of it zeroing a page for each. The constraints
 * become the equivalent ranges (every such column is an INTEGER of a
 * STRICT table, so BETWEEN 1 AND 4 admits exactly 1, 2, 3, 4) or a
 * disjunction (ip_family). Only the schema's text changes, not a stored
 * byte, which is the case SQLite documents for editing sqlite_schema
 * (https://sqlite.org/lang_altertable.html, "making other kinds of table
 * schema changes"); RESET makes this connection read the new text, and
 * another connection still holding the old one enforces the same rules. */
static const char g_m12_check_ranges[] =
    "PRAGMA writable_schema = ON;\n"
    "UPDATE sqlite_schema SET sql = replace(replace(replace(sql,\n"
    "    ' IN (1, 2, 3, 4))', ' BETWEEN 1 AND 4)'),\n"
    "    ' IN (1, 2, 3))', ' BETWEEN 1 AND 3)'),\n"
    "    'CHECK (ip_family IN (0, 4, 6))', 'CHECK (ip_family = 0 OR ip_family = 4 OR ip_family = 6)')\n"
    "  WHERE type = 'table' AND sql LIKE '%STRICT%';\n"
    "PRAGMA writable_schema = RESET;\n";

static const struct gw_store_migration g_migrations[] = {
  {1, "register: units, sites, accounts", g_m1_register},
  {2, "crawler: crawls, crawl_urls, links, bodies", g_m2_crawl},
  {3, "checks: check_runs, findings", g_m3_findings},
  {4, "monitor: avail_slots, avail_probes, alerts", g_m4_monitor},
  {5, "security: baselines", g_m5_baselines},
  {6, "inspections: inspections, inspection_sites, finding_reviews", g_m6_inspect},
  {7, "columns: column_overrides", g_m7_column_overrides},
  {8, "service: jobs, finding_alerts", g_m8_jobs},
  {9, "accounts in inspections: inspection_accounts, account_findings", g_m9_accounts},
  {10, "crawl speed: bodies.codec, crawl_urls.notfound", g_m10_crawl_speed},
  {11, "links packed a page a row: page_links", g_m11_page_links},
  {12, "CHECK constraints as ranges, not IN lists", g_m12_check_ranges},
};

const struct gw_store_migration *gw_store_migrations(size_t *n)
{
  *n = sizeof g_migrations / sizeof g_migrations[0];
  return g_migrations;
}
