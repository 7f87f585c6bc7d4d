/* New-media accounts in inspections (see accounts.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/utf8.h"
#include "inspect/accounts.h"

void gw_media_findings_free(struct gw_media_findings *f)
{
  if (!f)
    return;
  for (size_t i = 0; i < f->n; i++)
    gw_finding_clear(&f->v[i]);
  free(f->v);
  f->v = NULL;
  f->n = 0;
}

static const char *const g_judged[] = {"media.uncertified", "media.duplicate", NULL};

const char *const *gw_inspect_account_judged_keys(void)
{
  return g_judged;
}

/* ---- the register check ---- */

static char *dup0(const char *s)
{
  return s ? gw_strdup(s) : NULL;
}

/* s without leading and trailing ASCII/ideographic spaces (malloc'd). */
static char *trimmed(const char *s)
{
  char *t = gw_strdup(s ? s : "");
  gw_str_trim(t);
  return t;
}

/* Code points of a name without spaces and punctuation (ASCII punctuation,
 * U+3000-U+303F CJK punctuation, U+FF00-U+FF0F and friends, the middle dot):
 * "青溪 · 发布" and "青溪发布" compare equal. */
static size_t name_cps(const char *s, uint32_t *out, size_t cap)
{
  size_t n = 0, len = strlen(s);
  for (size_t i = 0; i < len && n < cap;) {
    uint32_t cp;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    i += k ? k : 1;
    bool punct = (cp < 0x80 && !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))) ||
                 (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
                 cp == 0x00B7 || cp == 0x2014 || cp == 0x2022 || cp == 0x30FB;
    if (punct)
      continue;
    if (cp >= 'A' && cp <= 'Z')
      cp += 'a' - 'A';
    out[n++] = cp;
  }
  return n;
}

#define NAME_MAX_CPS 128

/* Near-identical names (see accounts.h). */
static bool near_identical(const char *a, const char *b)
{
  uint32_t x[NAME_MAX_CPS], y[NAME_MAX_CPS];
  size_t n = name_cps(a, x, NAME_MAX_CPS), m = name_cps(b, y, NAME_MAX_CPS);
  if (n == m && memcmp(x, y, n * sizeof *x) == 0)
    return n > 0;
  if (n < 4 || m < 4 || (n > m ? n - m : m - n) > 1)
    return false;
  /* edit distance exactly 1: one substitution, insertion or deletion */
  size_t i = 0, j = 0, edits = 0;
  while (i < n && j < m) {
    if (x[i] == y[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1)
      return false;
    if (n > m)
      i++;
    else if (m > n)
      j++;
    else {
      i++;
      j++;
    }
  }
  edits += (n - i) + (m - j);
  return edits <= 1;
}

static const struct gw_unit *unit_of(const struct gw_unit_list *units, int64_t id)
{
  for (size_t i = 0; units && i < units->n; i++)
    if (units->v[i].id == id)
      return &units->v[i];
  return NULL;
}

static struct gw_finding *push(struct gw_media_findings *o, size_t *cap)
{
  if (o->n == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    o->v = gw_reallocarray(o->v, *cap, sizeof *o->v);
  }
  struct gw_finding *f = &o->v[o->n++];
  memset(f, 0, sizeof *f);
  return f;
}

static char *json_text(json_t *o)
{
  char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!t) {
    fprintf(stderr, "govwatch: out of memory (finding observed values)\n");
    abort();
  }
  char *r = gw_strdup(t);
  free(t);
  return r;
}

int gw_media_register_check(const struct gw_account *accts, size_t n, const struct gw_unit_list *units,
                            int64_t observed_at, struct gw_media_findings *out)
{
  struct gw_media_findings o = {0};
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    const struct gw_account *a = &accts[i];
    if (a->status != GW_ACCOUNT_RUNNING)
      continue;
    const struct gw_unit *u = unit_of(units, a->unit_id);
    if (!u) {
      gw_media_findings_free(&o);
      return gw_err_set(GW_EINVAL, "media.register: account #%lld %s: its unit #%lld is not in the register",
                        (long long)a->id, a->name, (long long)a->unit_id);
    }
    char *cert = trimmed(a->cert_subject);
    char *unit = trimmed(u->name);
    if (!cert[0] || strcmp(cert, unit) != 0) {
      struct gw_finding *f = push(&o, &cap);
      struct gw_buf d = GW_BUF_INIT;
      if (!cert[0])
        gw_buf_printf(&d, "账号“%s”（%s）未登记认证主体，开设主体为“%s”。", a->name, gw_platform_label(a->platform),
                      unit);
      else
        gw_buf_printf(&d, "账号“%s”（%s）的认证主体“%s”与开设主体“%s”不符。", a->name,
                      gw_platform_label(a->platform), cert, unit);
      f->check = GW_MEDIA_REGISTER_CHECK;
      f->rule = gw_strdup("media.uncertified");
      f->severity = GW_SEV_DEDUCT;
      f->account_id = a->id;
      f->key = gw_strdup("uncertified");
      f->url = dup0(a->url);
      f->locator = gw_strdup("账号登记：认证主体 / 开设主体");
      f->snippet = gw_strdup(cert[0] ? cert : "（空）");
      f->title = gw_strdup(cert[0] ? "认证主体与开设主体不符" : "未认证（未登记认证主体）");
      f->detail = gw_buf_steal(&d);
      f->observed_json = json_text(json_pack("{sssssb}", "cert_subject", cert, "unit", unit, "cert_matches_unit", 0));
      f->observed_at = observed_at;
    }
    free(cert);
    free(unit);
    for (size_t j = 0; j < n; j++) {
      const struct gw_account *b = &accts[j];
      if (j == i || b->status != GW_ACCOUNT_RUNNING || b->unit_id != a->unit_id || b->platform != a->platform ||
          !near_identical(a->name, b->name))
        continue;
      struct gw_finding *f = push(&o, &cap);
      struct gw_buf k = GW_BUF_INIT, d = GW_BUF_INIT;
      gw_buf_printf(&k, "duplicate:%lld", (long long)b->id);
      gw_buf_printf(&d, "“%s”与“%s”同为%s在%s上开设的账号，名称几乎相同，疑似重复开设，需人工核实。", a->name, b->name,
                    u->name, gw_platform_label(a->platform));
      f->check = GW_MEDIA_REGISTER_CHECK;
      f->rule = gw_strdup("media.duplicate");
      f->severity = GW_SEV_DEDUCT;
      f->needs_review = true;
      f->account_id = a->id;
      f->key = gw_buf_steal(&k);
      f->url = dup0(a->url);
      f->target = gw_strdup(b->name);
      f->locator = gw_strdup("账号登记：账号名称");
      f->snippet = gw_strdup(b->name);
      f->title = gw_strdup("同一平台疑似重复开设账号");
      f->detail = gw_buf_steal(&d);
      f->observed_json = json_text(json_pack("{sIssss}", "other_account_id", (json_int_t)b->id, "other_name", b->name,
                                             "platform", gw_platform_key(a->platform)));
      f->observed_at = observed_at;
    }
  }
  *out = o;
  return GW_OK;
}

/* ---- scoring ---- */

static void copy_row(struct gw_finding_row *d, const struct gw_finding_row *s)
{
  memset(d, 0, sizeof *d);
  d->id = s->id;
  d->run_id = s->run_id;
  d->check = dup0(s->check);
  memcpy(d->fingerprint, s->fingerprint, sizeof d->fingerprint);
  d->f = s->f;
  d->f.check = d->check;
  d->f.rule = dup0(s->f.rule);
  d->f.key = dup0(s->f.key);
  d->f.url = dup0(s->f.url);
  d->f.target = dup0(s->f.target);
  d->f.locator = dup0(s->f.locator);
  d->f.snippet = dup0(s->f.snippet);
  d->f.title = dup0(s->f.title);
  d->f.detail = dup0(s->f.detail);
  d->f.observed_json = dup0(s->f.observed_json);
}

struct rowvec {
  struct gw_finding_row *v;
  size_t n, cap;
};

static int collect_row(void *ctx, const struct gw_finding_row *r)
{
  struct rowvec *rv = ctx;
  if (rv->n == rv->cap) {
    rv->cap = rv->cap ? rv->cap * 2 : 16;
    rv->v = gw_reallocarray(rv->v, rv->cap, sizeof *rv->v);
  }
  copy_row(&rv->v[rv->n++], r);
  return 0;
}

static void rows_free(struct rowvec *rv)
{
  for (size_t i = 0; i < rv->n; i++)
    gw_finding_row_clear(&rv->v[i]);
  free(rv->v);
  memset(rv, 0, sizeof *rv);
}

int gw_inspect_score_account(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                             const struct gw_account *a, struct gw_inspect_sheet *out)
{
  struct gw_inspection_account row = {0};
  struct rowvec all = {0};
  struct gw_inspect_sheet s;
  struct gw_finding *fv = NULL;
  memset(&s, 0, sizeof s);
  int rc = gw_store_inspection_account_get(st, insp->id, a->id, &row);
  if (rc != GW_OK)
    return rc;
  if ((rc = gw_store_account_finding_each(st, insp->id, a->id, NULL, collect_row, &all)) != GW_OK)
    goto done;
  size_t cap = all.n ? all.n : 1;
  s.rows = gw_calloc(cap, sizeof *s.rows);
  s.review = gw_calloc(cap, sizeof *s.review);
  s.dismissed = gw_calloc(cap, sizeof *s.dismissed);
  s.dismissed_by = gw_calloc(cap, sizeof *s.dismissed_by);
  for (size_t i = 0; i < all.n; i++) {
    struct gw_review rv;
    memset(&rv, 0, sizeof rv);
    rc = gw_store_review_decision(st, all.v[i].fingerprint, &rv);
    if (rc != GW_OK && rc != GW_ENOTFOUND)
      goto done;
    if (rc == GW_ENOTFOUND)
      gw_err_clear();
    if (rc == GW_OK && rv.action == GW_REVIEW_DISMISS) {
      s.dismissed[s.n_dismissed] = all.v[i];
      s.dismissed_by[s.n_dismissed++] = rv;
    } else {
      if (rc == GW_OK)
        s.review[s.n] = rv;
      s.rows[s.n++] = all.v[i];
    }
    memset(&all.v[i], 0, sizeof all.v[i]); /* moved */
  }
  rc = GW_OK;
  fv = gw_calloc(s.n ? s.n : 1, sizeof *fv);
  for (size_t i = 0; i < s.n; i++) {
    fv[i] = s.rows[i].f;
    if (s.review[i].id && s.review[i].action == GW_REVIEW_CONFIRM)
      fv[i].needs_review = false;
  }
  int64_t qstart = 0, qend = 0;
  int y, q;
  if (insp->quarter && gw_quarter_parse(insp->quarter, &y, &q) == GW_OK)
    gw_quarter_bounds(y, q, &qstart, &qend);
  size_t nj = 0;
  while (g_judged[nj])
    nj++;
  struct gw_account_facts af = {
    .account_id = a->id,
    .name = a->name,
    .platform = gw_platform_label(a->platform),
    .window_start = qstart,
    .window_end = qend ? qend - 1 : 0,
    .judged = g_judged,
    .n_judged = nj,
  };
  if ((rc = gw_score_account(rules, &af, fv, s.n, insp->as_of, &s.sheet)) != GW_OK) {
    rc = gw_err_prefix(rc, "scoring account %s in inspection #%lld", a->name, (long long)insp->id);
    goto done;
  }
  *out = s;
  memset(&s, 0, sizeof s);
done:
  free(fv);
  rows_free(&all);
  gw_inspect_sheet_clear(&s);
  gw_inspection_account_clear(&row);
  return rc;
}

int gw_inspect_rescore_account(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                               const struct gw_account *a, int64_t now)
{
  struct gw_inspect_sheet sh;
  memset(&sh, 0, sizeof sh);
  int rc = gw_inspect_score_account(st, rules, insp, a, &sh);
  if (rc != GW_OK)
    return rc;
  struct gw_inspection_account row = {
    .inspection_id = insp->id,
    .account_id = a->id,
    .result = (int)sh.sheet->result,
    .reason = sh.sheet->reason,
  };
  rc = gw_store_inspection_account_put(st, &row, now);
  gw_inspect_sheet_clear(&sh);
  return rc;
}

int gw_inspect_run_accounts(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                            const struct gw_account *accts, size_t n, struct gw_inspect_report *rep)
{
  struct gw_account_list reg = {0};
  struct gw_unit_list units = {0};
  struct gw_media_findings mf = {0};
  struct gw_finding *mine = NULL;
  int rc;
  if (!n)
    return GW_OK;
  /* Duplicates are judged against the whole register, not only the
   * accounts being inspected. */
  if ((rc = gw_store_account_list(st, 0, &reg)) != GW_OK || (rc = gw_store_unit_list(st, &units)) != GW_OK ||
      (rc = gw_media_register_check(reg.v, reg.n, &units, insp->as_of, &mf)) != GW_OK)
    goto done;
  mine = gw_calloc(mf.n + 1, sizeof *mine);
  for (size_t i = 0; i < n; i++) {
    const struct gw_account *a = &accts[i];
    if (a->status != GW_ACCOUNT_RUNNING)
      continue;
    struct gw_inspection_account row = {0};
    rc = gw_store_inspection_account_get(st, insp->id, a->id, &row);
    if (rc == GW_ENOTFOUND) {
      gw_err_clear();
      row = (struct gw_inspection_account){.inspection_id = insp->id, .account_id = a->id};
      rc = gw_store_inspection_account_put(st, &row, gw_now());
    }
    gw_inspection_account_clear(&row);
    if (rc != GW_OK)
      goto done;
    size_t m = 0;
    for (size_t k = 0; k < mf.n; k++)
      if (mf.v[k].account_id == a->id)
        mine[m++] = mf.v[k];
    if ((rc = gw_store_account_findings_replace(st, insp->id, a->id, GW_MEDIA_REGISTER_CHECK, mine, m)) != GW_OK ||
        (rc = gw_inspect_rescore_account(st, rules, insp, a, gw_now())) != GW_OK ||
        (rc = gw_store_inspection_account_get(st, insp->id, a->id, &row)) != GW_OK)
      goto done;
    rep->accounts++;
    if (row.result == GW_RESULT_PASS)
      rep->account_pass++;
    else if (row.result == GW_RESULT_FAIL)
      rep->account_fail++;
    else
      rep->account_undetermined++;
    gw_inspection_account_clear(&row);
  }
done:
  free(mine);
  gw_media_findings_free(&mf);
  gw_account_list_free(&reg);
  gw_unit_list_free(&units);
  return rc;
}

/* ---- manual findings ---- */

int gw_inspect_add_manual_account(struct gw_store *st, const struct gw_rules *rules,
                                  const struct gw_inspection *insp, const struct gw_account *a,
                                  const struct gw_manual_finding *m, int64_t now, char fingerprint[17])
{
  struct gw_inspection_account row = {0};
  struct rowvec have = {0};
  struct gw_finding *fv = NULL;
  struct gw_buf key = GW_BUF_INIT;
  char *obs_text = NULL;
  int rc;
  if (gw_str_empty(m->rule) || !gw_rules_key_known(rules, m->rule))
    return gw_err_set(GW_EINVAL, "finding add: --rule '%s' is not a rule key of %s (see docs/rules.md)",
                      m->rule ? m->rule : "", gw_rules_id(rules));
  if (gw_str_empty(m->title))
    return gw_err_set(GW_EINVAL, "finding add: --title is empty");
  if (gw_str_empty(m->who))
    return gw_err_set(GW_EINVAL, "finding add: who adds it is not known (--by)");
  if ((rc = gw_store_inspection_account_get(st, insp->id, a->id, &row)) != GW_OK) {
    if (rc == GW_ENOTFOUND)
      rc = gw_err_set(GW_ENOTFOUND, "finding add: account %s is not in inspection #%lld (run govwatch inspect first)",
                      a->name, (long long)insp->id);
    return rc;
  }
  if ((rc = gw_store_account_finding_each(st, insp->id, a->id, "manual", collect_row, &have)) != GW_OK)
    goto done;
  gw_buf_printf(&key, "%s|%s|%s", m->rule, m->url ? m->url : "", m->title);
  obs_text = json_text(json_pack("{sbss}", "manual", 1, "by", m->who));
  struct gw_finding nf = {
    .check = "manual",
    .rule = (char *)m->rule,
    .severity = m->severity ? m->severity : GW_SEV_DEDUCT,
    .account_id = a->id,
    .key = (char *)gw_buf_cstr(&key),
    .url = (char *)m->url,
    .title = (char *)m->title,
    .detail = (char *)m->detail,
    .observed_json = obs_text,
    .observed_at = insp->as_of,
  };
  fv = gw_calloc(have.n + 1, sizeof *fv);
  for (size_t i = 0; i < have.n; i++)
    fv[i] = have.v[i].f;
  fv[have.n] = nf;
  char fp[17];
  gw_finding_fingerprint(&nf, fp);
  rc = gw_store_account_findings_replace(st, insp->id, a->id, "manual", fv, have.n + 1);
  if (rc == GW_EEXIST) {
    rc = gw_err_set(GW_EEXIST, "finding add: %s already has this manual finding (fingerprint %s)", a->name, fp);
    goto done;
  }
  if (rc != GW_OK)
    goto done;
  struct gw_review rv = {.action = GW_REVIEW_ADD, .who = (char *)m->who, .at = now, .reason = NULL};
  memcpy(rv.fingerprint, fp, sizeof fp);
  if ((rc = gw_store_review_add(st, &rv)) != GW_OK)
    goto done;
  memcpy(fingerprint, fp, 17);
done:
  free(obs_text);
  free(fv);
  rows_free(&have);
  gw_buf_free(&key);
  gw_inspection_account_clear(&row);
  return rc;
}
