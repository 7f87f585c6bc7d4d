/* Import and export of the register in the national reporting layout
 * (see register.h). An import is planned completely first (every cell of
 * every row validated, every reference resolved, every duplicate found)
 * and written only when the plan has no problem. */
#include "register/register.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"

/* Column names of the layouts, in one place. */
#define C_UNIT_NAME "单位名称"
#define C_UNIT_PARENT "上级单位"
#define C_UNIT_KIND "单位类型"
#define C_UNIT_REGION "行政区划代码"
#define C_UNIT_CONTACT "联系人"

#define C_SITE_NAME "网站名称"
#define C_SITE_URL "网址"
#define C_SITE_CODE "网站标识码"
#define C_SITE_KIND "网站类型"
#define C_SITE_UNIT "所属单位"
#define C_SITE_SPONSOR "主办单位"
#define C_SITE_SUPERVISOR "主管单位"
#define C_SITE_EXTERNAL "有无对外服务功能"
#define C_SITE_STATUS "运行状态"
#define C_SITE_NOTE "备注"

#define C_ACC_NAME "账号名称"
#define C_ACC_PLATFORM "账号类型"
#define C_ACC_UNIT "开设主体"
#define C_ACC_CERT "认证主体"
#define C_ACC_URL "账号地址"
#define C_ACC_STATUS "运行状态"
#define C_ACC_NOTE "备注"

#define YES_LABEL "有"
#define NO_LABEL "无"

enum { U_NAME, U_PARENT, U_KIND, U_REGION, U_CONTACT, U_N };
enum { S_NAME, S_URL, S_CODE, S_KIND, S_UNIT, S_SPONSOR, S_SUPERVISOR, S_EXTERNAL, S_STATUS, S_NOTE, S_N };
enum { A_NAME, A_PLATFORM, A_UNIT, A_CERT, A_URL, A_STATUS, A_NOTE, A_N };

static const char *const g_unit_cols[] = {C_UNIT_NAME, C_UNIT_PARENT, C_UNIT_KIND, C_UNIT_REGION,
                                          C_UNIT_CONTACT, NULL};
static const char *const g_site_cols[] = {C_SITE_NAME, C_SITE_URL, C_SITE_CODE, C_SITE_KIND,
                                          C_SITE_UNIT, C_SITE_SPONSOR, C_SITE_SUPERVISOR,
                                          C_SITE_EXTERNAL, C_SITE_STATUS, C_SITE_NOTE, NULL};
static const char *const g_acc_cols[] = {C_ACC_NAME, C_ACC_PLATFORM, C_ACC_UNIT, C_ACC_CERT,
                                         C_ACC_URL, C_ACC_STATUS, C_ACC_NOTE, NULL};
static const bool g_unit_req[U_N] = {[U_NAME] = true, [U_KIND] = true};
static const bool g_site_req[S_N] = {[S_NAME] = true, [S_URL] = true, [S_CODE] = true, [S_UNIT] = true};
static const bool g_acc_req[A_N] = {[A_NAME] = true, [A_PLATFORM] = true, [A_UNIT] = true};

const char *const *gw_reg_columns(enum gw_reg_kind kind)
{
  switch (kind) {
  case GW_REG_UNITS: return g_unit_cols;
  case GW_REG_SITES: return g_site_cols;
  case GW_REG_ACCOUNTS: return g_acc_cols;
  }
  return NULL;
}

static const bool *required_of(enum gw_reg_kind kind)
{
  switch (kind) {
  case GW_REG_UNITS: return g_unit_req;
  case GW_REG_SITES: return g_site_req;
  case GW_REG_ACCOUNTS: return g_acc_req;
  }
  return NULL;
}

bool gw_reg_column_required(enum gw_reg_kind kind, const char *column)
{
  const char *const *cols = gw_reg_columns(kind);
  const bool *req = required_of(kind);
  for (size_t i = 0; cols && cols[i]; i++)
    if (strcmp(cols[i], column) == 0)
      return req[i];
  return false;
}

/* ---- The report ---- */

void gw_reg_import_result_init(struct gw_reg_import_result *r)
{
  memset(r, 0, sizeof *r);
}

void gw_reg_import_result_clear(struct gw_reg_import_result *r)
{
  gw_strv_free(&r->problems);
  memset(r, 0, sizeof *r);
}

__attribute__((format(printf, 2, 3))) static void problem(struct gw_reg_import_result *r,
                                                          const char *fmt, ...)
{
  r->nproblems++;
  if (r->problems.n >= GW_REG_PROBLEMS_KEPT)
    return;
  struct gw_buf b = GW_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  gw_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  gw_strv_push_owned(&r->problems, gw_buf_steal(&b));
}

/* ---- A small string -> index map for duplicate detection ---- */

struct smap {
  char **keys;
  size_t *vals;
  size_t cap, n;
};

static uint64_t fnv1a(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

static void smap_grow(struct smap *m);

/* Insert key -> val unless present; returns true and sets *old if present. */
static bool smap_put(struct smap *m, const char *key, size_t val, size_t *old)
{
  if ((m->n + 1) * 2 > m->cap)
    smap_grow(m);
  size_t i = (size_t)(fnv1a(key) & (m->cap - 1));
  while (m->keys[i]) {
    if (strcmp(m->keys[i], key) == 0) {
      *old = m->vals[i];
      return true;
    }
    i = (i + 1) & (m->cap - 1);
  }
  m->keys[i] = gw_strdup(key);
  m->vals[i] = val;
  m->n++;
  return false;
}

static bool smap_get(const struct smap *m, const char *key, size_t *val)
{
  if (!m->cap)
    return false;
  size_t i = (size_t)(fnv1a(key) & (m->cap - 1));
  while (m->keys[i]) {
    if (strcmp(m->keys[i], key) == 0) {
      *val = m->vals[i];
      return true;
    }
    i = (i + 1) & (m->cap - 1);
  }
  return false;
}

static void smap_grow(struct smap *m)
{
  struct smap old = *m;
  m->cap = old.cap ? old.cap * 2 : 64;
  m->keys = gw_calloc(m->cap, sizeof *m->keys);
  m->vals = gw_calloc(m->cap, sizeof *m->vals);
  m->n = 0;
  for (size_t i = 0; i < old.cap; i++) {
    if (old.keys[i]) {
      size_t dummy;
      smap_put(m, old.keys[i], old.vals[i], &dummy);
      free(old.keys[i]);
    }
  }
  free(old.keys);
  free(old.vals);
}

static void smap_free(struct smap *m)
{
  for (size_t i = 0; i < m->cap; i++)
    free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

/* ---- The header ---- */

/* Map the layout's columns to the file's columns (col[k] = -1 when absent).
 * Returns false (with problems recorded) when the header is unusable. */
static bool map_header(enum gw_reg_kind kind, const struct gw_table *t, const char *name,
                       long *col, struct gw_reg_import_result *res)
{
  const char *const *cols = gw_reg_columns(kind);
  const bool *req = required_of(kind);
  size_t ncols = 0;
  while (cols[ncols])
    ncols++;
  for (size_t k = 0; k < ncols; k++)
    col[k] = -1;
  if (t->nheader == 0) {
    problem(res, "%s: no header row (expected the columns %s, ...)", name, cols[0]);
    return false;
  }
  size_t before = res->nproblems;
  struct gw_buf unknown = GW_BUF_INIT;
  size_t nunknown = 0;
  for (size_t i = 0; i < t->nheader; i++) {
    const char *h = t->header[i];
    if (!*h) {
      /* an empty trailing column of a spreadsheet is harmless unless it holds data */
      for (size_t r = 0; r < t->nrows; r++) {
        if (*gw_table_cell(&t->rows[r], (long)i)) {
          problem(res, "%s:%zu: column %zu has data but no header", name, t->rows[r].line, i + 1);
          break;
        }
      }
      continue;
    }
    size_t k = 0;
    while (k < ncols && strcmp(cols[k], h) != 0)
      k++;
    if (k == ncols) {
      gw_buf_printf(&unknown, "%s'%s'", nunknown ? ", " : "", h);
      nunknown++;
      continue;
    }
    if (col[k] >= 0) {
      problem(res, "%s:%zu: column %s appears twice (columns %ld and %zu)", name, t->header_line,
              h, col[k] + 1, i + 1);
      continue;
    }
    col[k] = (long)i;
  }
  if (nunknown) {
    struct gw_buf exp = GW_BUF_INIT;
    for (size_t k = 0; k < ncols; k++)
      gw_buf_printf(&exp, "%s%s", k ? ", " : "", cols[k]);
    problem(res, "%s:%zu: unknown column%s %s (the columns are: %s)", name, t->header_line,
            nunknown > 1 ? "s" : "", gw_buf_cstr(&unknown), gw_buf_cstr(&exp));
    gw_buf_free(&exp);
  }
  gw_buf_free(&unknown);
  struct gw_buf missing = GW_BUF_INIT;
  size_t nmissing = 0;
  for (size_t k = 0; k < ncols; k++) {
    if (req[k] && col[k] < 0) {
      gw_buf_printf(&missing, "%s%s", nmissing ? ", " : "", cols[k]);
      nmissing++;
    }
  }
  if (nmissing)
    problem(res, "%s:%zu: missing required column%s: %s", name, t->header_line,
            nmissing > 1 ? "s" : "", gw_buf_cstr(&missing));
  gw_buf_free(&missing);
  return res->nproblems == before;
}

static bool row_blank(const struct gw_table_row *r)
{
  for (size_t i = 0; i < r->ncells; i++)
    if (r->cells[i][0])
      return false;
  return true;
}

/* A value in a cell beyond the header is data the import would lose. */
static void check_extra_cells(const struct gw_table *t, const struct gw_table_row *r, const char *name,
                              struct gw_reg_import_result *res)
{
  for (size_t i = t->nheader; i < r->ncells; i++) {
    if (r->cells[i][0]) {
      problem(res, "%s:%zu: column %zu: '%s' is beyond the last header column", name, r->line, i + 1,
              r->cells[i]);
      return;
    }
  }
}

static const char *cell(const struct gw_table_row *r, long col)
{
  return col < 0 ? "" : gw_table_cell(r, col);
}

/* Check an optional or required text cell; records a problem on failure. */
static bool text_cell(struct gw_reg_import_result *res, const char *name, size_t line,
                      const char *column, const char *v, size_t max, bool required, bool multiline)
{
  if (gw_reg_text_check(v, max, required, multiline) == GW_OK)
    return true;
  problem(res, "%s:%zu: column %s: %s", name, line, column, gw_err_msg());
  return false;
}

static char *opt_dup(const char *v)
{
  return *v ? gw_strdup(v) : NULL;
}

/* ---- The plan ---- */

struct plan {
  enum gw_reg_kind kind;
  /* units, in insertion order (parents before children) */
  struct gw_unit *u;
  long *u_parent; /* index into u of a parent from this file, or -1 */
  /* sites and accounts in file order; an id != 0 means update */
  struct gw_site *s;
  struct gw_account *a;
  size_t *line;   /* source line of each record */
  size_t n;
};

static void plan_free(struct plan *p)
{
  for (size_t i = 0; i < p->n; i++) {
    if (p->u)
      gw_unit_clear(&p->u[i]);
    if (p->s)
      gw_site_clear(&p->s[i]);
    if (p->a)
      gw_account_clear(&p->a[i]);
  }
  free(p->u);
  free(p->u_parent);
  free(p->s);
  free(p->a);
  free(p->line);
  memset(p, 0, sizeof *p);
}

/* Resolve a unit reference of a site or account row; records a problem. */
static long unit_cell(struct gw_reg_import_result *res, const char *name, size_t line,
                      const char *column, const char *v, const struct gw_unit_list *units)
{
  size_t idx;
  if (!*v) {
    problem(res, "%s:%zu: column %s: must not be empty", name, line, column);
    return -1;
  }
  if (gw_reg_unit_lookup(units, v, &idx) != GW_OK) {
    problem(res, "%s:%zu: column %s: '%s': %s", name, line, column, v, gw_err_msg());
    return -1;
  }
  return (long)idx;
}

/* ---- Sites ---- */

static void plan_sites(const struct gw_table *t, const char *name, bool update, const long *col,
                       const struct gw_unit_list *units, const struct gw_site_list *sites,
                       struct plan *p, struct gw_reg_import_result *res)
{
  struct smap reg_url = {0}, reg_code = {0}, file_url = {0}, file_code = {0}, touched = {0};
  p->s = gw_calloc(t->nrows + 1, sizeof *p->s);
  p->line = gw_calloc(t->nrows + 1, sizeof *p->line);
  for (size_t i = 0; i < sites->n; i++) {
    size_t old;
    smap_put(&reg_url, gw_reg_url_key(sites->v[i].url), i, &old);
    smap_put(&reg_code, sites->v[i].code, i, &old);
  }
  for (size_t r = 0; r < t->nrows; r++) {
    const struct gw_table_row *row = &t->rows[r];
    if (row_blank(row))
      continue;
    size_t line = row->line;
    size_t before = res->nproblems;
    check_extra_cells(t, row, name, res);
    struct gw_site s;
    memset(&s, 0, sizeof s);

    const char *v = cell(row, col[S_NAME]);
    if (text_cell(res, name, line, C_SITE_NAME, v, GW_REG_NAME_MAX, true, false))
      s.name = gw_strdup(v);
    v = cell(row, col[S_URL]);
    if (!*v)
      problem(res, "%s:%zu: column %s: must not be empty", name, line, C_SITE_URL);
    else if (gw_reg_url_normalize(v, false, &s.url) != GW_OK)
      problem(res, "%s:%zu: column %s: '%s' is not a valid URL (%s)", name, line, C_SITE_URL, v,
              gw_err_msg());
    v = cell(row, col[S_CODE]);
    if (!*v)
      problem(res, "%s:%zu: column %s: must not be empty", name, line, C_SITE_CODE);
    else if (gw_reg_site_code_normalize(v, &s.code) != GW_OK)
      problem(res, "%s:%zu: column %s: '%s' is not a valid 网站标识码 (%s)", name, line, C_SITE_CODE,
              v, gw_err_msg());
    v = cell(row, col[S_KIND]);
    s.kind = GW_SITE_DEPARTMENT;
    if (*v && gw_site_kind_parse(v, &s.kind) != GW_OK)
      problem(res, "%s:%zu: column %s: %s", name, line, C_SITE_KIND, gw_err_msg());
    v = cell(row, col[S_UNIT]);
    long ui = unit_cell(res, name, line, C_SITE_UNIT, v, units);
    if (ui >= 0)
      s.unit_id = units->v[ui].id;
    v = cell(row, col[S_SPONSOR]);
    if (text_cell(res, name, line, C_SITE_SPONSOR, v, GW_REG_NAME_MAX, false, false))
      s.sponsor = *v ? gw_strdup(v) : (ui >= 0 ? gw_strdup(units->v[ui].name) : NULL);
    v = cell(row, col[S_SUPERVISOR]);
    if (text_cell(res, name, line, C_SITE_SUPERVISOR, v, GW_REG_NAME_MAX, false, false))
      s.supervisor = opt_dup(v);
    v = cell(row, col[S_EXTERNAL]);
    s.external_service = true;
    if (*v && gw_reg_yesno_parse(v, &s.external_service) != GW_OK)
      problem(res, "%s:%zu: column %s: %s", name, line, C_SITE_EXTERNAL, gw_err_msg());
    v = cell(row, col[S_STATUS]);
    s.status = GW_SITE_RUNNING;
    if (*v && gw_site_status_parse(v, &s.status) != GW_OK)
      problem(res, "%s:%zu: column %s: %s", name, line, C_SITE_STATUS, gw_err_msg());
    v = cell(row, col[S_NOTE]);
    if (text_cell(res, name, line, C_SITE_NOTE, v, GW_REG_NOTE_MAX, false, true))
      s.note = opt_dup(v);

    /* duplicates inside the file */
    size_t first;
    if (s.url && smap_put(&file_url, gw_reg_url_key(s.url), line, &first))
      problem(res, "%s:%zu: column %s: same URL as line %zu", name, line, C_SITE_URL, first);
    if (s.code && smap_put(&file_code, s.code, line, &first))
      problem(res, "%s:%zu: column %s: same 网站标识码 as line %zu", name, line, C_SITE_CODE, first);

    /* against the register */
    size_t by_code = 0, by_url = 0;
    bool has_code = s.code && smap_get(&reg_code, s.code, &by_code);
    bool has_url = s.url && smap_get(&reg_url, gw_reg_url_key(s.url), &by_url);
    if (update && (has_code || has_url)) {
      size_t target = has_code ? by_code : by_url;
      const struct gw_site *old = &sites->v[target];
      if (has_code && has_url && by_url != by_code)
        problem(res, "%s:%zu: column %s: '%s' is already registered to another site (id %lld, %s)",
                name, line, C_SITE_URL, s.url, (long long)sites->v[by_url].id, sites->v[by_url].name);
      char key[32];
      snprintf(key, sizeof key, "%lld", (long long)old->id);
      if (smap_put(&touched, key, line, &first))
        problem(res, "%s:%zu: updates the same registered site (id %lld) as line %zu", name, line,
                (long long)old->id, first);
      s.id = old->id;
      s.created_at = old->created_at;
    } else {
      if (has_code)
        problem(res, "%s:%zu: column %s: '%s' already registered (id %lld, %s)", name, line,
                C_SITE_CODE, s.code, (long long)sites->v[by_code].id, sites->v[by_code].name);
      if (has_url)
        problem(res, "%s:%zu: column %s: '%s' already registered (id %lld, %s)", name, line,
                C_SITE_URL, s.url, (long long)sites->v[by_url].id, sites->v[by_url].name);
    }

    if (res->nproblems != before) {
      gw_site_clear(&s);
      continue;
    }
    if (s.id)
      res->updated++;
    else
      res->inserted++;
    p->line[p->n] = line;
    p->s[p->n++] = s;
  }
  smap_free(&reg_url);
  smap_free(&reg_code);
  smap_free(&file_url);
  smap_free(&file_code);
  smap_free(&touched);
}

/* ---- Accounts ---- */

static char *account_key(enum gw_platform p, const char *n)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_printf(&b, "%d\x1f%s", (int)p, n);
  return gw_buf_steal(&b);
}

static void plan_accounts(const struct gw_table *t, const char *name, bool update, const long *col,
                          const struct gw_unit_list *units, const struct gw_account_list *accounts,
                          struct plan *p, struct gw_reg_import_result *res)
{
  struct smap reg = {0}, file = {0};
  p->a = gw_calloc(t->nrows + 1, sizeof *p->a);
  p->line = gw_calloc(t->nrows + 1, sizeof *p->line);
  for (size_t i = 0; i < accounts->n; i++) {
    size_t old;
    char *k = account_key(accounts->v[i].platform, accounts->v[i].name);
    smap_put(&reg, k, i, &old);
    free(k);
  }
  for (size_t r = 0; r < t->nrows; r++) {
    const struct gw_table_row *row = &t->rows[r];
    if (row_blank(row))
      continue;
    size_t line = row->line;
    size_t before = res->nproblems;
    check_extra_cells(t, row, name, res);
    struct gw_account a;
    memset(&a, 0, sizeof a);
    bool have_platform = false;

    const char *v = cell(row, col[A_NAME]);
    if (text_cell(res, name, line, C_ACC_NAME, v, GW_REG_NAME_MAX, true, false))
      a.name = gw_strdup(v);
    v = cell(row, col[A_PLATFORM]);
    if (!*v)
      problem(res, "%s:%zu: column %s: must not be empty", name, line, C_ACC_PLATFORM);
    else if (gw_platform_parse(v, &a.platform) != GW_OK)
      problem(res, "%s:%zu: column %s: %s", name, line, C_ACC_PLATFORM, gw_err_msg());
    else
      have_platform = true;
    v = cell(row, col[A_UNIT]);
    long ui = unit_cell(res, name, line, C_ACC_UNIT, v, units);
    if (ui >= 0)
      a.unit_id = units->v[ui].id;
    v = cell(row, col[A_CERT]);
    if (text_cell(res, name, line, C_ACC_CERT, v, GW_REG_NAME_MAX, false, false))
      a.cert_subject = opt_dup(v);
    v = cell(row, col[A_URL]);
    if (*v && gw_reg_url_normalize(v, false, &a.url) != GW_OK)
      problem(res, "%s:%zu: column %s: '%s' is not a valid URL (%s)", name, line, C_ACC_URL, v,
              gw_err_msg());
    v = cell(row, col[A_STATUS]);
    a.status = GW_ACCOUNT_RUNNING;
    if (*v && gw_account_status_parse(v, &a.status) != GW_OK)
      problem(res, "%s:%zu: column %s: %s", name, line, C_ACC_STATUS, gw_err_msg());
    v = cell(row, col[A_NOTE]);
    if (text_cell(res, name, line, C_ACC_NOTE, v, GW_REG_NOTE_MAX, false, true))
      a.note = opt_dup(v);

    if (a.name && have_platform) {
      char *k = account_key(a.platform, a.name);
      size_t first, old;
      if (smap_put(&file, k, line, &first))
        problem(res, "%s:%zu: column %s: same account (%s:%s) as line %zu", name, line, C_ACC_NAME,
                gw_platform_label(a.platform), a.name, first);
      if (smap_get(&reg, k, &old)) {
        if (update) {
          a.id = accounts->v[old].id;
          a.created_at = accounts->v[old].created_at;
        } else {
          problem(res, "%s:%zu: column %s: %s:%s already registered (id %lld)", name, line,
                  C_ACC_NAME, gw_platform_label(a.platform), a.name, (long long)accounts->v[old].id);
        }
      }
      free(k);
    }

    if (res->nproblems != before) {
      gw_account_clear(&a);
      continue;
    }
    if (a.id)
      res->updated++;
    else
      res->inserted++;
    p->line[p->n] = line;
    p->a[p->n++] = a;
  }
  smap_free(&reg);
  smap_free(&file);
}

/* ---- Units ---- */

/* Where a unit row's parent is: the root, a registered unit, or a row. */
enum { P_UNRESOLVED, P_ROOT, P_REG, P_ROW };
struct urow {
  size_t r;          /* index into t->rows */
  size_t line;
  const char *name;  /* borrowed from the table; NULL if the name is bad */
  const char *ref;   /* 上级单位 as written */
  int pkind;
  size_t pidx;       /* P_REG: index into units; P_ROW: index into rows[] */
  bool bad;
  bool pfail;        /* the parent reference itself is wrong (reported) */
};

/* Find a child named `name` of the node (kind, idx) among registered units
 * and resolved rows. Returns P_REG/P_ROW with *out, or P_UNRESOLVED. */
static int child_named(const struct gw_unit_list *units, const struct urow *rows, size_t nrows,
                       int kind, size_t idx, const char *name, size_t *out)
{
  if (kind == P_ROOT || kind == P_REG) {
    int64_t pid = kind == P_ROOT ? 0 : units->v[idx].id;
    for (size_t i = 0; i < units->n; i++) {
      if (units->v[i].parent_id == pid && strcmp(units->v[i].name, name) == 0) {
        *out = i;
        return P_REG;
      }
    }
  }
  for (size_t i = 0; i < nrows; i++) {
    if (rows[i].name && rows[i].pkind == kind && (kind == P_ROOT || rows[i].pidx == idx) &&
        strcmp(rows[i].name, name) == 0) {
      *out = i;
      return P_ROW;
    }
  }
  return P_UNRESOLVED;
}

/* Resolve a path reference; true when every step was found. */
static bool resolve_path(const struct gw_unit_list *units, const struct urow *rows, size_t nrows,
                         const char *ref, int *kind, size_t *idx)
{
  char *s = gw_strdup(ref);
  char *p = s[0] == '/' ? s + 1 : s;
  int k = P_ROOT;
  size_t i = 0;
  bool ok = true;
  for (;;) {
    char *slash = strchr(p, '/');
    if (slash)
      *slash = '\0';
    gw_str_trim(p);
    if (!*p) {
      ok = false;
      break;
    }
    size_t next;
    int nk = child_named(units, rows, nrows, k, i, p, &next);
    if (nk == P_UNRESOLVED) {
      ok = false;
      break;
    }
    k = nk;
    i = next;
    if (!slash)
      break;
    p = slash + 1;
  }
  free(s);
  if (ok) {
    *kind = k;
    *idx = i;
  }
  return ok;
}

static void plan_units(const struct gw_table *t, const char *name, const long *col,
                       const struct gw_unit_list *units, struct plan *p,
                       struct gw_reg_import_result *res)
{
  struct urow *rows = gw_calloc(t->nrows + 1, sizeof *rows);
  struct gw_unit *u = gw_calloc(t->nrows + 1, sizeof *u);
  size_t n = 0;

  /* 1: the cells of every row */
  for (size_t r = 0; r < t->nrows; r++) {
    const struct gw_table_row *row = &t->rows[r];
    if (row_blank(row))
      continue;
    struct urow *ur = &rows[n];
    struct gw_unit *uu = &u[n];
    size_t before = res->nproblems;
    ur->r = r;
    ur->line = row->line;
    check_extra_cells(t, row, name, res);
    const char *v = cell(row, col[U_NAME]);
    if (gw_reg_unit_name_check(v) == GW_OK) {
      ur->name = v;
      uu->name = gw_strdup(v);
    } else if (*v) {
      problem(res, "%s:%zu: column %s: '%s': %s", name, ur->line, C_UNIT_NAME, v, gw_err_msg());
    } else {
      problem(res, "%s:%zu: column %s: %s", name, ur->line, C_UNIT_NAME, gw_err_msg());
    }
    ur->ref = cell(row, col[U_PARENT]);
    v = cell(row, col[U_KIND]);
    if (!*v)
      problem(res, "%s:%zu: column %s: must not be empty", name, ur->line, C_UNIT_KIND);
    else if (gw_unit_kind_parse(v, &uu->kind) != GW_OK)
      problem(res, "%s:%zu: column %s: %s", name, ur->line, C_UNIT_KIND, gw_err_msg());
    v = cell(row, col[U_REGION]);
    if (*v && gw_reg_region_code_check(v) != GW_OK)
      problem(res, "%s:%zu: column %s: '%s': %s", name, ur->line, C_UNIT_REGION, v, gw_err_msg());
    else
      uu->region_code = opt_dup(v);
    v = cell(row, col[U_CONTACT]);
    if (text_cell(res, name, ur->line, C_UNIT_CONTACT, v, GW_REG_NAME_MAX, false, false))
      uu->contact = opt_dup(v);
    ur->bad = res->nproblems != before;
    ur->pkind = *ur->ref ? P_UNRESOLVED : P_ROOT;
    n++;
  }

  /* 2: parents given by id or by name, which need no tree */
  for (size_t i = 0; i < n; i++) {
    struct urow *ur = &rows[i];
    if (ur->pkind != P_UNRESOLVED || strchr(ur->ref, '/'))
      continue;
    int64_t id;
    if (gw_parse_i64(ur->ref, &id) == GW_OK && id > 0) {
      long k = gw_reg_unit_index(units, id);
      if (k >= 0) {
        ur->pkind = P_REG;
        ur->pidx = (size_t)k;
        continue;
      }
    }
    size_t nmatch = 0;
    struct gw_buf cand = GW_BUF_INIT;
    for (size_t k = 0; k < units->n; k++) {
      if (strcmp(units->v[k].name, ur->ref) == 0) {
        char *path = gw_reg_unit_path(units, units->v[k].id);
        gw_buf_printf(&cand, "%s%s (id %lld)", nmatch ? ", " : "", path, (long long)units->v[k].id);
        free(path);
        if (nmatch++ == 0) {
          ur->pkind = P_REG;
          ur->pidx = k;
        }
      }
    }
    for (size_t k = 0; k < n; k++) {
      if (rows[k].name && strcmp(rows[k].name, ur->ref) == 0) {
        gw_buf_printf(&cand, "%sline %zu", nmatch ? ", " : "", rows[k].line);
        if (nmatch++ == 0) {
          ur->pkind = P_ROW;
          ur->pidx = k;
        }
      }
    }
    if (nmatch == 0) {
      problem(res, "%s:%zu: column %s: '%s': no such unit (neither registered nor in this file)",
              name, ur->line, C_UNIT_PARENT, ur->ref);
      ur->bad = ur->pfail = true;
    } else if (nmatch > 1) {
      problem(res, "%s:%zu: column %s: '%s' is ambiguous (%s); give the path", name, ur->line,
              C_UNIT_PARENT, ur->ref, gw_buf_cstr(&cand));
      ur->pkind = P_UNRESOLVED;
      ur->bad = ur->pfail = true;
    }
    gw_buf_free(&cand);
  }

  /* 3: paths, in rounds, since a path may run through rows whose own
   * parent is only known after an earlier round */
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < n; i++) {
      struct urow *ur = &rows[i];
      if (ur->pkind != P_UNRESOLVED || ur->pfail)
        continue;
      int k;
      size_t idx;
      if (resolve_path(units, rows, n, ur->ref, &k, &idx)) {
        ur->pkind = k;
        ur->pidx = idx;
        progress = true;
      }
    }
  }
  for (size_t i = 0; i < n; i++) {
    struct urow *ur = &rows[i];
    if (ur->pkind == P_UNRESOLVED && !ur->pfail) {
      problem(res, "%s:%zu: column %s: '%s': no such unit (neither registered nor in this file)",
              name, ur->line, C_UNIT_PARENT, ur->ref);
      ur->bad = true;
    }
  }

  /* 4: cycles among rows (registered units cannot lead back into the file) */
  for (size_t i = 0; i < n; i++) {
    struct urow *ur = &rows[i];
    if (ur->pkind != P_ROW)
      continue;
    size_t cur = i, steps = 0;
    bool cycle = false;
    while (rows[cur].pkind == P_ROW && steps <= n) {
      cur = rows[cur].pidx;
      steps++;
      if (cur == i) {
        cycle = true;
        break;
      }
    }
    if (cycle) {
      struct gw_buf chain = GW_BUF_INIT;
      gw_buf_printf(&chain, "line %zu", ur->line);
      cur = i;
      do {
        cur = rows[cur].pidx;
        gw_buf_printf(&chain, " -> line %zu", rows[cur].line);
      } while (cur != i);
      problem(res, "%s:%zu: column %s: '%s' makes a cycle (%s)", name, ur->line, C_UNIT_PARENT,
              ur->ref, gw_buf_cstr(&chain));
      gw_buf_free(&chain);
      ur->bad = true;
    } else if (steps > n) {
      problem(res, "%s:%zu: column %s: '%s' leads into a cycle of parents", name, ur->line,
              C_UNIT_PARENT, ur->ref);
      ur->bad = true;
    }
  }

  /* 5: duplicates under the same parent, in the file and in the register */
  struct smap seen = {0};
  for (size_t i = 0; i < n; i++) {
    struct urow *ur = &rows[i];
    if (!ur->name || ur->pkind == P_UNRESOLVED)
      continue;
    struct gw_buf key = GW_BUF_INIT;
    gw_buf_printf(&key, "%d\x1f%zu\x1f%s", ur->pkind, ur->pkind == P_ROOT ? 0 : ur->pidx, ur->name);
    size_t first;
    if (smap_put(&seen, gw_buf_cstr(&key), ur->line, &first)) {
      problem(res, "%s:%zu: column %s: same unit (same name under the same parent) as line %zu",
              name, ur->line, C_UNIT_NAME, first);
      ur->bad = true;
    }
    gw_buf_free(&key);
    if (ur->pkind == P_ROOT || ur->pkind == P_REG) {
      size_t k;
      if (child_named(units, NULL, 0, ur->pkind, ur->pidx, ur->name, &k) == P_REG) {
        char *path = gw_reg_unit_path(units, units->v[k].id);
        problem(res, "%s:%zu: column %s: '%s' already registered (id %lld, %s)", name, ur->line,
                C_UNIT_NAME, ur->name, (long long)units->v[k].id, path);
        free(path);
        ur->bad = true;
      }
    }
  }
  smap_free(&seen);

  /* 6: insertion order: parents first, otherwise file order */
  if (res->nproblems == 0) {
    p->u = gw_calloc(n + 1, sizeof *p->u);
    p->u_parent = gw_calloc(n + 1, sizeof *p->u_parent);
    p->line = gw_calloc(n + 1, sizeof *p->line);
    long *pos = gw_calloc(n + 1, sizeof *pos); /* row -> index in p->u */
    size_t *stack = gw_calloc(n + 1, sizeof *stack);
    for (size_t i = 0; i < n; i++)
      pos[i] = -1;
    for (size_t i = 0; i < n; i++) {
      size_t sp = 0;
      size_t cur = i;
      /* climb to the first ancestor row already placed (no cycles remain) */
      while (pos[cur] < 0) {
        stack[sp++] = cur;
        if (rows[cur].pkind != P_ROW)
          break;
        cur = rows[cur].pidx;
      }
      while (sp > 0) {
        size_t k = stack[--sp];
        if (pos[k] >= 0)
          continue;
        pos[k] = (long)p->n;
        p->u[p->n] = u[k];
        memset(&u[k], 0, sizeof u[k]);
        p->u[p->n].parent_id = rows[k].pkind == P_REG ? units->v[rows[k].pidx].id : 0;
        p->u_parent[p->n] = rows[k].pkind == P_ROW ? pos[rows[k].pidx] : -1;
        p->line[p->n] = rows[k].line;
        p->n++;
      }
    }
    free(stack);
    free(pos);
    res->inserted = p->n;
  }
  for (size_t i = 0; i < n; i++)
    gw_unit_clear(&u[i]);
  free(u);
  free(rows);
}

/* ---- Entry points ---- */

static int plan_make(enum gw_reg_kind kind, const struct gw_table *t, const char *name, bool update,
                     const struct gw_unit_list *units, const struct gw_site_list *sites,
                     const struct gw_account_list *accounts, struct plan *p,
                     struct gw_reg_import_result *res)
{
  long col[16];
  memset(p, 0, sizeof *p);
  p->kind = kind;
  res->inserted = res->updated = 0;
  if (map_header(kind, t, name, col, res)) {
    switch (kind) {
    case GW_REG_UNITS: plan_units(t, name, col, units, p, res); break;
    case GW_REG_SITES: plan_sites(t, name, update, col, units, sites, p, res); break;
    case GW_REG_ACCOUNTS: plan_accounts(t, name, update, col, units, accounts, p, res); break;
    }
  }
  if (res->nproblems) {
    res->inserted = res->updated = 0;
    return gw_err_set(GW_EINVAL, "%s: %zu problem%s found; nothing was imported", name,
                      res->nproblems, res->nproblems == 1 ? "" : "s");
  }
  return GW_OK;
}

int gw_reg_import_check(enum gw_reg_kind kind, const struct gw_table *t, const char *name,
                        bool update, const struct gw_unit_list *units,
                        const struct gw_site_list *sites, const struct gw_account_list *accounts,
                        struct gw_reg_import_result *res)
{
  struct plan p;
  int rc = plan_make(kind, t, name, update, units, sites, accounts, &p, res);
  plan_free(&p);
  return rc;
}

static int apply(struct gw_store *st, struct plan *p, const char *name)
{
  int rc = gw_store_begin(st);
  if (rc)
    return rc;
  for (size_t i = 0; i < p->n && rc == GW_OK; i++) {
    switch (p->kind) {
    case GW_REG_UNITS:
      if (p->u_parent[i] >= 0)
        p->u[i].parent_id = p->u[p->u_parent[i]].id;
      rc = gw_store_unit_insert(st, &p->u[i]);
      break;
    case GW_REG_SITES:
      rc = p->s[i].id ? gw_store_site_update(st, &p->s[i]) : gw_store_site_insert(st, &p->s[i]);
      break;
    case GW_REG_ACCOUNTS:
      rc = p->a[i].id ? gw_store_account_update(st, &p->a[i]) : gw_store_account_insert(st, &p->a[i]);
      break;
    }
    if (rc)
      gw_err_prefix(rc, "%s:%zu", name, p->line[i]);
  }
  if (rc == GW_OK)
    rc = gw_store_commit(st);
  if (rc) {
    /* keep the first error's message, not the rollback's */
    char msg[2048];
    gw_strlcpy(msg, gw_err_msg(), sizeof msg);
    gw_store_rollback(st);
    gw_err_set(rc, "%s; nothing was imported", msg);
  }
  return rc;
}

int gw_reg_import(struct gw_store *st, enum gw_reg_kind kind, const struct gw_table *t,
                  const char *name, bool update, struct gw_reg_import_result *res)
{
  struct gw_unit_list units = {0};
  struct gw_site_list sites = {0};
  struct gw_account_list accounts = {0};
  struct plan p;
  memset(&p, 0, sizeof p);
  int rc = gw_store_unit_list(st, &units);
  if (rc == GW_OK && kind == GW_REG_SITES)
    rc = gw_store_site_list(st, 0, &sites);
  if (rc == GW_OK && kind == GW_REG_ACCOUNTS)
    rc = gw_store_account_list(st, 0, &accounts);
  if (rc == GW_OK)
    rc = plan_make(kind, t, name, update, &units, &sites, &accounts, &p, res);
  if (rc == GW_OK)
    rc = apply(st, &p, name);
  if (rc && !res->nproblems)
    res->inserted = res->updated = 0;
  plan_free(&p);
  gw_unit_list_free(&units);
  gw_site_list_free(&sites);
  gw_account_list_free(&accounts);
  return rc;
}

/* ---- Export ---- */

static const char *nz(const char *s)
{
  return s ? s : "";
}

void gw_reg_export_table(enum gw_reg_kind kind, const struct gw_unit_list *units,
                         const struct gw_site_list *sites, const struct gw_account_list *accounts,
                         struct gw_table *out)
{
  const char *const *cols = gw_reg_columns(kind);
  size_t ncols = 0;
  while (cols[ncols])
    ncols++;
  gw_table_init(out, cols, ncols);
  if (kind == GW_REG_UNITS) {
    size_t *order = NULL, n = 0;
    int *depth = NULL;
    if (gw_reg_unit_tree(units, 0, &order, &depth, &n) != GW_OK)
      return; /* cannot happen for root 0 */
    for (size_t i = 0; i < n; i++) {
      const struct gw_unit *u = &units->v[order[i]];
      char *parent = u->parent_id ? gw_reg_unit_ref(units, u->parent_id) : NULL;
      const char *row[U_N] = {u->name, nz(parent), gw_unit_kind_label(u->kind), nz(u->region_code),
                              nz(u->contact)};
      gw_table_add_row(out, row, U_N);
      free(parent);
    }
    free(order);
    free(depth);
  } else if (kind == GW_REG_SITES) {
    for (size_t i = 0; i < sites->n; i++) {
      const struct gw_site *s = &sites->v[i];
      char *unit = gw_reg_unit_ref(units, s->unit_id);
      const char *row[S_N] = {s->name, s->url, s->code, gw_site_kind_label(s->kind), nz(unit),
                              nz(s->sponsor), nz(s->supervisor),
                              s->external_service ? YES_LABEL : NO_LABEL,
                              gw_site_status_label(s->status), nz(s->note)};
      gw_table_add_row(out, row, S_N);
      free(unit);
    }
  } else {
    for (size_t i = 0; i < accounts->n; i++) {
      const struct gw_account *a = &accounts->v[i];
      char *unit = gw_reg_unit_ref(units, a->unit_id);
      const char *row[A_N] = {a->name, gw_platform_label(a->platform), nz(unit), nz(a->cert_subject),
                              nz(a->url), gw_account_status_label(a->status), nz(a->note)};
      gw_table_add_row(out, row, A_N);
      free(unit);
    }
  }
}

int gw_reg_export(struct gw_store *st, enum gw_reg_kind kind, struct gw_table *out)
{
  struct gw_unit_list units = {0};
  struct gw_site_list sites = {0};
  struct gw_account_list accounts = {0};
  int rc = gw_store_unit_list(st, &units);
  if (rc == GW_OK && kind == GW_REG_SITES)
    rc = gw_store_site_list(st, 0, &sites);
  if (rc == GW_OK && kind == GW_REG_ACCOUNTS)
    rc = gw_store_account_list(st, 0, &accounts);
  if (rc == GW_OK)
    gw_reg_export_table(kind, &units, &sites, &accounts, out);
  gw_unit_list_free(&units);
  gw_site_list_free(&sites);
  gw_account_list_free(&accounts);
  return rc;
}
