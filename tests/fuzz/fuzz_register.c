/* Fuzz the register's parsers of outside input: URL normalisation, the
 * 网站标识码 and 行政区划代码 rules, the references users type, and the import
 * checks over a CSV file, against a small fixed register. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "register/register.h"
#include "fuzz.h"

static void add_unit(struct gw_unit_list *l, int64_t id, int64_t parent, const char *name)
{
  l->v = gw_reallocarray(l->v, l->n + 1, sizeof *l->v);
  struct gw_unit *u = &l->v[l->n++];
  memset(u, 0, sizeof *u);
  u->id = id;
  u->parent_id = parent;
  u->name = gw_strdup(name);
  u->kind = parent ? GW_UNIT_DEPARTMENT : GW_UNIT_REGION;
}

static void build(struct gw_unit_list *u, struct gw_site_list *s, struct gw_account_list *a)
{
  memset(u, 0, sizeof *u);
  memset(s, 0, sizeof *s);
  memset(a, 0, sizeof *a);
  add_unit(u, 1, 0, "青溪县");
  add_unit(u, 2, 1, "青溪县教育局");
  add_unit(u, 3, 1, "白石镇");
  add_unit(u, 4, 2, "办公室");
  add_unit(u, 5, 3, "办公室");
  s->v = gw_calloc(2, sizeof *s->v);
  s->n = 2;
  s->v[0].id = 1;
  s->v[0].name = gw_strdup("青溪县人民政府");
  s->v[0].url = gw_strdup("https://www.qx.gov.cn/");
  s->v[0].code = gw_strdup("3301220001");
  s->v[0].unit_id = 1;
  s->v[1].id = 2;
  s->v[1].name = gw_strdup("部委");
  s->v[1].url = gw_strdup("http://www.bm.gov.cn/");
  s->v[1].code = gw_strdup("bm64130001");
  s->v[1].unit_id = 2;
  a->v = gw_calloc(1, sizeof *a->v);
  a->n = 1;
  a->v[0].id = 1;
  a->v[0].name = gw_strdup("青溪发布");
  a->v[0].platform = GW_PLATFORM_WEIBO;
  a->v[0].unit_id = 1;
}

/* A normalised URL is http(s), has no fragment, and normalises to itself. */
static void check_url(const char *s, bool assume)
{
  char *out = NULL;
  if (gw_reg_url_normalize(s, assume, &out) != GW_OK) {
    if (out)
      abort();
    return;
  }
  if (!gw_str_starts(out, "http://") && !gw_str_starts(out, "https://"))
    abort();
  /* no userinfo: no '@' in the authority */
  const char *auth = strstr(out, "://") + 3;
  const char *slash = strchr(auth, '/');
  const char *at = strchr(auth, '@');
  if (strchr(out, '#') || strchr(out, ' ') || !slash || (at && at < slash))
    abort();
  char *again = NULL;
  if (gw_reg_url_normalize(out, false, &again) != GW_OK || strcmp(again, out) != 0)
    abort();
  free(again);
  free(out);
}

static void check_codes(const char *s)
{
  char *out = NULL;
  if (gw_reg_site_code_normalize(s, &out) == GW_OK) {
    if (strlen(out) != 10)
      abort();
    char *again = NULL;
    if (gw_reg_site_code_normalize(out, &again) != GW_OK || strcmp(again, out) != 0)
      abort();
    free(again);
    free(out);
  } else if (out) {
    abort();
  }
  if (gw_reg_region_code_check(s) == GW_OK && strlen(s) != 6)
    abort();
}

static void check_refs(const char *s, const struct gw_unit_list *u, const struct gw_site_list *st,
                       const struct gw_account_list *a)
{
  size_t i = (size_t)-1;
  if (gw_reg_unit_lookup(u, s, &i) == GW_OK ? i >= u->n : i != (size_t)-1)
    abort();
  i = (size_t)-1;
  if (gw_reg_site_lookup(st, s, &i) == GW_OK ? i >= st->n : i != (size_t)-1)
    abort();
  i = (size_t)-1;
  if (gw_reg_account_lookup(a, s, &i) == GW_OK ? i >= a->n : i != (size_t)-1)
    abort();
}

/* The import checks: no problem exactly when GW_OK; problems name the file. */
static void check_import(const uint8_t *data, size_t size, const struct gw_unit_list *u,
                         const struct gw_site_list *st, const struct gw_account_list *a)
{
  struct gw_table t;
  if (gw_table_read_mem("fuzz.csv", GW_TABLE_CSV, data, size, &t) != GW_OK)
    return;
  for (int kind = GW_REG_UNITS; kind <= GW_REG_ACCOUNTS; kind++) {
    for (int update = 0; update <= 1; update++) {
      struct gw_reg_import_result res;
      gw_reg_import_result_init(&res);
      int rc = gw_reg_import_check((enum gw_reg_kind)kind, &t, "fuzz.csv", update, u, st, a, &res);
      if ((rc == GW_OK) != (res.nproblems == 0) || res.problems.n > GW_REG_PROBLEMS_KEPT ||
          res.problems.n > res.nproblems)
        abort();
      if (rc == GW_OK && res.inserted + res.updated > t.nrows)
        abort();
      if (rc != GW_OK && (res.inserted || res.updated))
        abort();
      for (size_t i = 0; i < res.problems.n; i++)
        if (!gw_str_starts(res.problems.v[i], "fuzz.csv"))
          abort();
      gw_reg_import_result_clear(&res);
    }
  }
  gw_table_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  struct gw_unit_list u;
  struct gw_site_list st;
  struct gw_account_list a;
  build(&u, &st, &a);
  check_url(s, false);
  check_url(s, true);
  check_codes(s);
  check_refs(s, &u, &st, &a);
  check_import(data, size, &u, &st, &a);
  gw_unit_list_free(&u);
  gw_site_list_free(&st);
  gw_account_list_free(&a);
  free(s);
  return 0;
}
