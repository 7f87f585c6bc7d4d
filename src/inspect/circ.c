/* The circular, the self-inspection report and the exports from a recorded
 * inspection (see circ.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "inspect/circ.h"
#include "inspect/accounts.h"
#include "inspect/inspect.h"
#include "register/register.h"
#include "tab/table.h"

/* ---- the sites of an inspection, scored ---- */

struct sdata {
  struct gw_site site;
  struct gw_inspection_site row;
  struct gw_inspect_sheet sh;
};

struct sset {
  struct sdata *v;
  size_t n;
  struct gw_rules *rules;
};

static void sset_free(struct sset *s)
{
  for (size_t i = 0; i < s->n; i++) {
    gw_site_clear(&s->v[i].site);
    gw_inspection_site_clear(&s->v[i].row);
    gw_inspect_sheet_clear(&s->v[i].sh);
  }
  free(s->v);
  gw_rules_free(&s->rules);
  memset(s, 0, sizeof *s);
}

/* Every site of the inspection with its sheet; unscored sites are an error
 * when `need_all`, else left without a sheet. */
static int gather(struct gw_store *st, const struct gw_inspection *insp, bool need_all, struct sset *out)
{
  struct gw_inspection_site_list rows = {0};
  struct sset s;
  memset(&s, 0, sizeof s);
  struct gw_avail_thresholds t;
  gw_avail_thresholds_default(&t);
  int rc = gw_inspect_rules_load(insp->rules_path, &s.rules, NULL);
  if (rc != GW_OK)
    return gw_err_prefix(rc, "inspection #%lld", (long long)insp->id);
  if ((rc = gw_store_inspection_site_list(st, insp->id, &rows)) != GW_OK)
    goto done;
  if (rows.n == 0) {
    rc = gw_err_set(GW_ENOTFOUND, "inspection #%lld has no site", (long long)insp->id);
    goto done;
  }
  s.v = gw_calloc(rows.n, sizeof *s.v);
  struct gw_buf missing = GW_BUF_INIT;
  size_t nmissing = 0;
  for (size_t i = 0; i < rows.n && rc == GW_OK; i++) {
    struct sdata *d = &s.v[s.n++];
    d->row = rows.v[i];
    memset(&rows.v[i], 0, sizeof rows.v[i]);
    if ((rc = gw_store_site_get(st, d->row.site_id, &d->site)) != GW_OK)
      break;
    if (d->row.state != GW_INSP_SCORED) {
      if (nmissing++ < 5)
        gw_buf_printf(&missing, "%s%s", nmissing > 1 ? ", " : "", d->site.name);
      continue;
    }
    rc = gw_inspect_score_site(st, s.rules, insp, &d->site, &t, &d->sh);
  }
  if (rc == GW_OK && need_all && nmissing)
    rc = gw_err_set(GW_EINVAL,
                    "inspection #%lld is not finished: %zu site%s not scored (%s%s); run govwatch inspect "
                    "--inspection %lld to continue",
                    (long long)insp->id, nmissing, nmissing == 1 ? " is" : "s are", gw_buf_cstr(&missing),
                    nmissing > 5 ? ", ..." : "", (long long)insp->id);
  gw_buf_free(&missing);
  if (rc == GW_OK) {
    *out = s;
    memset(&s, 0, sizeof s);
  }
done:
  gw_inspection_site_list_free(&rows);
  sset_free(&s);
  return rc;
}

static bool counted(enum gw_sheet_status st)
{
  return st == GW_FS_DEDUCTED || st == GW_FS_VETO;
}

/* An account's problem counts when it is established (confirmed, in time,
 * veto or deduct severity), even when the national media part has no item
 * for its key (media.uncertified is listed, not vetoed): the circular's
 * 附件2 names the problems an account has, not only those that fail it. */
static bool account_counted(enum gw_sheet_status st)
{
  return counted(st) || st == GW_FS_UNUSED;
}

/* ---- the accounts of an inspection, scored ---- */

struct adata {
  struct gw_account acct;
  char *unit;                       /* 开设主体 */
  struct gw_inspect_sheet sh;
};

struct aset {
  struct adata *v;
  size_t n;
};

static void aset_free(struct aset *a)
{
  for (size_t i = 0; i < a->n; i++) {
    gw_account_clear(&a->v[i].acct);
    free(a->v[i].unit);
    gw_inspect_sheet_clear(&a->v[i].sh);
  }
  free(a->v);
  memset(a, 0, sizeof *a);
}

/* Every account of the inspection with its sheet (scored from what is
 * stored now, so reviews since count); `unit_id` not 0 = only its accounts. */
static int gather_accounts(struct gw_store *st, const struct gw_inspection *insp, const struct gw_rules *rules,
                           int64_t unit_id, struct aset *out)
{
  struct gw_inspection_account_list rows = {0};
  struct aset a = {0};
  int rc = gw_store_inspection_account_list(st, insp->id, &rows);
  if (rc != GW_OK)
    return rc;
  a.v = gw_calloc(rows.n + 1, sizeof *a.v);
  for (size_t i = 0; i < rows.n && rc == GW_OK; i++) {
    struct adata *d = &a.v[a.n];
    if ((rc = gw_store_account_get(st, rows.v[i].account_id, &d->acct)) != GW_OK)
      break;
    if (unit_id && d->acct.unit_id != unit_id) {
      gw_account_clear(&d->acct);
      continue;
    }
    a.n++;
    struct gw_unit u;
    memset(&u, 0, sizeof u);
    if ((rc = gw_store_unit_get(st, d->acct.unit_id, &u)) != GW_OK)
      break;
    d->unit = u.name;
    u.name = NULL;
    gw_unit_clear(&u);
    rc = gw_inspect_score_account(st, rules, insp, &d->acct, &d->sh);
  }
  gw_inspection_account_list_free(&rows);
  if (rc != GW_OK) {
    aset_free(&a);
    return rc;
  }
  *out = a;
  return GW_OK;
}

/* "“青溪发布”微信订阅号" as a circular names an account. */
static char *account_subject(const struct gw_account *a)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_printf(&b, "“%s”%s", a->name, gw_platform_label(a->platform));
  return gw_buf_steal(&b);
}

/* An account's problems for 附件2: the vetoes hit and the established
 * findings per rule key ("单项否决：内容不更新；未认证或认证主体与开设主体不符"). */
static char *account_problems_text(const struct gw_rules *r, const struct gw_score_sheet *sh)
{
  struct gw_buf b = GW_BUF_INIT;
  for (size_t v = 0; v < sh->n_vetoes; v++)
    if (sh->vetoes[v].hit)
      gw_buf_printf(&b, "%s单项否决：%s", gw_buf_cstr(&b)[0] ? "；" : "", sh->vetoes[v].name);
  for (size_t k = 0; k < gw_rules_key_count(r); k++) {
    bool has = false;
    for (size_t i = 0; i < sh->n_findings && !has; i++)
      has = account_counted(sh->findings[i].status) && gw_str_eq(sh->findings[i].rule, gw_rules_key_at(r, k));
    if (has)
      gw_buf_printf(&b, "%s%s", gw_buf_cstr(&b)[0] ? "；" : "", gw_rules_key_label(r, k));
  }
  return gw_buf_steal(&b);
}

static const char *key_label(const struct gw_rules *r, const char *key)
{
  for (size_t i = 0; i < gw_rules_key_count(r); i++)
    if (strcmp(gw_rules_key_at(r, i), key) == 0)
      return gw_rules_key_label(r, i);
  return key;
}

/* "青溪县教育局网站" as a circular names a site. */
static char *site_subject(const struct gw_site *s)
{
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, s->name);
  if (!gw_str_ends(s->name, "网站"))
    gw_buf_puts(&b, "网站");
  return gw_buf_steal(&b);
}

/* Counted findings of a site per rule key, in the rule file's key order:
 * "首页链接不可用1处；其他页面链接不可用4处". Also the vetoes hit. */
static char *problems_text(const struct gw_rules *r, const struct gw_score_sheet *sh)
{
  struct gw_buf b = GW_BUF_INIT;
  for (size_t v = 0; v < sh->n_vetoes; v++)
    if (sh->vetoes[v].hit)
      gw_buf_printf(&b, "%s单项否决：%s", gw_buf_cstr(&b)[0] ? "；" : "", sh->vetoes[v].name);
  for (size_t k = 0; k < gw_rules_key_count(r); k++) {
    size_t n = 0;
    for (size_t i = 0; i < sh->n_findings; i++)
      if (counted(sh->findings[i].status) && gw_str_eq(sh->findings[i].rule, gw_rules_key_at(r, k)))
        n++;
    if (n)
      gw_buf_printf(&b, "%s%s%zu处", gw_buf_cstr(&b)[0] ? "；" : "", gw_rules_key_label(r, k), n);
  }
  return gw_buf_steal(&b);
}

/* ---- the circular ---- */

struct gw_circ_build {
  struct gw_circular c;
  struct gw_strv strings;   /* owned strings the model points at */
  void **blocks;            /* owned arrays */
  size_t nblocks;
  struct gw_rules *rules;   /* problem kinds are its key labels */
};

static const char *keep(struct gw_circ_build *b, char *s)
{
  gw_strv_push_owned(&b->strings, s);
  return s;
}

static void *keep_block(struct gw_circ_build *b, void *p)
{
  b->blocks = gw_reallocarray(b->blocks, b->nblocks + 1, sizeof *b->blocks);
  b->blocks[b->nblocks++] = p;
  return p;
}

void gw_circ_build_free(struct gw_circ_build **pb)
{
  if (!pb || !*pb)
    return;
  struct gw_circ_build *b = *pb;
  gw_strv_free(&b->strings);
  for (size_t i = 0; i < b->nblocks; i++)
    free(b->blocks[i]);
  free(b->blocks);
  gw_rules_free(&b->rules);
  free(b);
  *pb = NULL;
}

const struct gw_circular *gw_circ_build_model(const struct gw_circ_build *b)
{
  return &b->c;
}

/* The root region of the unit tree: its name gives the office and scope. */
static char *root_region(struct gw_store *st)
{
  struct gw_unit_list l = {0};
  char *name = NULL;
  if (gw_store_unit_list(st, &l) != GW_OK) {
    gw_err_clear();
    return NULL;
  }
  for (size_t i = 0; i < l.n && !name; i++)
    if (l.v[i].parent_id == 0 && l.v[i].kind == GW_UNIT_REGION)
      name = gw_strdup(l.v[i].name);
  gw_unit_list_free(&l);
  return name;
}

/* Sites (by subject) that have a finding of `key` not dismissed, among the
 * scored ones; for the IPv6 and annual-report tasks. */
static size_t sites_with_key(struct gw_circ_build *b, const struct sset *s, const char *key, const char ***names)
{
  const char **v = keep_block(b, gw_calloc(s->n + 1, sizeof *v));
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++) {
    const struct gw_score_sheet *sh = s->v[i].sh.sheet;
    if (!sh)
      continue;
    bool has = false;
    for (size_t k = 0; k < sh->n_findings && !has; k++)
      has = gw_str_eq(sh->findings[k].rule, key);
    if (has)
      v[n++] = keep(b, site_subject(&s->v[i].site));
  }
  *names = v;
  return n;
}

int gw_inspect_circular(struct gw_store *st, const struct gw_inspection *insp, const struct gw_circ_settings *set,
                        struct gw_circ_build **out)
{
  struct sset s;
  memset(&s, 0, sizeof s);
  struct gw_site_list all = {0};
  struct gw_account_list accts = {0};
  struct aset as = {0};
  int y = 0, q = 0;
  if (!insp->quarter || gw_quarter_parse(insp->quarter, &y, &q) != GW_OK)
    return gw_err_set(GW_EINVAL, "inspection #%lld has no quarter: a quarterly circular needs a quarterly inspection "
                      "(govwatch inspect --quarter 2025Q1)", (long long)insp->id);
  int rc = gather(st, insp, true, &s);
  if (rc != GW_OK)
    return rc;
  if ((rc = gather_accounts(st, insp, s.rules, 0, &as)) != GW_OK) {
    sset_free(&s);
    return rc;
  }
  struct gw_circ_build *b = gw_calloc(1, sizeof *b);
  b->rules = s.rules; /* moved: the model borrows its labels */
  s.rules = NULL;
  struct gw_circular *c = &b->c;
  c->year = y;
  c->quarter = q;
  c->as_of = insp->as_of;
  c->issued = set->issued;
  /* Circulars ask for the written rectification report within two weeks
   * (docs/circulars.md). */
  c->deadline = set->deadline ? set->deadline : set->issued + 14 * 86400;
  c->addressees = set->addressees;
  c->doc_number = set->doc_number;
  c->report_to = set->report_to;
  c->requirements = set->requirements;
  char *root = root_region(st);
  if (set->office) {
    c->office = set->office;
  } else {
    struct gw_buf o = GW_BUF_INIT;
    gw_buf_printf(&o, "%s人民政府办公室", root ? root : "");
    c->office = keep(b, gw_buf_steal(&o));
  }
  if (set->scope)
    c->scope = set->scope;
  else if (root && gw_str_ends(root, "市"))
    c->scope = "全市";
  else if (root && gw_str_ends(root, "省"))
    c->scope = "全省";
  else if (root && gw_str_ends(root, "区"))
    c->scope = "全区";
  free(root);

  /* Tallies. */
  if ((rc = gw_store_site_list(st, 0, &all)) != GW_OK || (rc = gw_store_account_list(st, 0, &accts)) != GW_OK)
    goto fail;
  for (size_t i = 0; i < all.n; i++)
    if (all.v[i].status == GW_SITE_RUNNING)
      c->sites.registered++;
  for (size_t i = 0; i < accts.n; i++)
    if (accts.v[i].status == GW_ACCOUNT_RUNNING)
      c->accounts.registered++;
  double psum = 0, pbest = -1, pfull = 0;
  long nportal = 0;
  for (size_t i = 0; i < s.n; i++) {
    const struct gw_score_sheet *sh = s.v[i].sh.sheet;
    c->sites.inspected++;
    if (sh->result == GW_RESULT_PASS)
      c->sites.qualified++;
    else if (sh->result == GW_RESULT_FAIL)
      c->sites.failed++;
    else
      c->sites.undetermined++;
    if (sh->portal && sh->has_score) {
      double v = (double)sh->final / 100.0;
      psum += v;
      nportal++;
      if (v > pbest)
        pbest = v;
      double full = (double)(sh->total + (sh->bonus_present ? sh->bonus_total : 0)) / 100.0;
      if (full > pfull)
        pfull = full;
    }
  }
  if (c->sites.registered < c->sites.inspected)
    c->sites.registered = c->sites.inspected; /* a site closed since the inspection */
  struct gw_circ_platform *plat = keep_block(b, gw_calloc(as.n + 1, sizeof *plat));
  for (size_t i = 0; i < as.n; i++) {
    const struct gw_score_sheet *sh = as.v[i].sh.sheet;
    c->accounts.inspected++;
    if (sh->result == GW_RESULT_PASS)
      c->accounts.qualified++;
    else if (sh->result == GW_RESULT_FAIL)
      c->accounts.failed++;
    else
      c->accounts.undetermined++;
    const char *pname = gw_platform_label(as.v[i].acct.platform);
    size_t k = 0;
    while (k < c->nplatforms && strcmp(plat[k].name, pname) != 0)
      k++;
    if (k == c->nplatforms) {
      plat[k].name = pname;
      c->nplatforms++;
    }
    plat[k].inspected++;
    if (sh->result == GW_RESULT_PASS)
      plat[k].qualified++;
    else if (sh->result != GW_RESULT_FAIL)
      plat[k].undetermined++;
  }
  c->platforms = plat;
  if (c->accounts.registered < c->accounts.inspected)
    c->accounts.registered = c->accounts.inspected; /* an account closed since the inspection */
  if (nportal) {
    c->portal_average = psum / (double)nportal;
    c->portal_best = pbest;
    c->portal_full = pfull;
    struct gw_buf names = GW_BUF_INIT;
    for (size_t i = 0; i < s.n; i++) {
      const struct gw_score_sheet *sh = s.v[i].sh.sheet;
      if (sh->portal && sh->has_score && (double)sh->final / 100.0 == pbest)
        gw_buf_printf(&names, "%s%s", gw_buf_cstr(&names)[0] ? "、" : "", s.v[i].site.name);
    }
    c->portal_best_units = keep(b, gw_buf_steal(&names));
  }

  /* 信息报送 through the publication-statistics interface. */
  if (set->pub && set->pub->n) {
    const struct gw_pub_counts *p = set->pub;
    const char **praise = keep_block(b, gw_calloc(p->n, sizeof *praise));
    const char **crit = keep_block(b, gw_calloc(p->n, sizeof *crit));
    long total = 0;
    for (size_t i = 0; i < p->n; i++) {
      total += p->v[i].items;
      if (p->praise_at_least > 0 && p->v[i].items >= p->praise_at_least)
        praise[c->praise.n++] = p->v[i].unit;
      if (p->criticise_below > 0 && p->v[i].items < p->criticise_below)
        crit[c->criticism.n++] = p->v[i].unit;
    }
    c->info_total = total;
    c->praise.threshold = p->praise_at_least;
    c->praise.units = praise;
    c->criticism.threshold = p->criticise_below;
    c->criticism.units = crit;
  }

  /* Problems by rule key, in the rule file's order, sites named. */
  const struct gw_rules *rules = b->rules;
  size_t nkeys = gw_rules_key_count(rules);
  struct gw_circ_problem *probs = keep_block(b, gw_calloc(nkeys ? nkeys : 1, sizeof *probs));
  for (size_t k = 0; k < nkeys; k++) {
    const char *key = gw_rules_key_at(rules, k);
    const char **subj = keep_block(b, gw_calloc(s.n + as.n + 1, sizeof *subj));
    size_t nsubj = 0, total = 0, nacct = 0;
    for (size_t i = 0; i < s.n; i++) {
      const struct gw_score_sheet *sh = s.v[i].sh.sheet;
      size_t n = 0;
      for (size_t f = 0; f < sh->n_findings; f++)
        if (counted(sh->findings[f].status) && gw_str_eq(sh->findings[f].rule, key))
          n++;
      if (!n)
        continue;
      struct gw_buf nm = GW_BUF_INIT;
      char *subject = site_subject(&s.v[i].site);
      gw_buf_printf(&nm, "%s（%zu处）", subject, n);
      free(subject);
      subj[nsubj++] = keep(b, gw_buf_steal(&nm));
      total += n;
    }
    size_t nsite = nsubj;
    for (size_t i = 0; i < as.n; i++) {
      const struct gw_score_sheet *sh = as.v[i].sh.sheet;
      size_t n = 0;
      for (size_t f = 0; f < sh->n_findings; f++)
        if (account_counted(sh->findings[f].status) && gw_str_eq(sh->findings[f].rule, key))
          n++;
      if (!n)
        continue;
      struct gw_buf nm = GW_BUF_INIT;
      char *subject = account_subject(&as.v[i].acct);
      gw_buf_printf(&nm, "%s（%zu处）", subject, n);
      free(subject);
      subj[nsubj++] = keep(b, gw_buf_steal(&nm));
      total += n;
      nacct++;
    }
    if (!nsubj)
      continue;
    struct gw_buf d = GW_BUF_INIT;
    if (nsite && nacct)
      gw_buf_printf(&d, "%zu个网站、%zu个政务新媒体账号共发现%zu处。", nsite, nacct, total);
    else if (nacct)
      gw_buf_printf(&d, "%zu个政务新媒体账号共发现%zu处。", nacct, total);
    else
      gw_buf_printf(&d, "%zu个网站共发现%zu处。", nsubj, total);
    struct gw_circ_problem *p = &probs[c->nproblems++];
    p->kind = gw_rules_key_label(rules, k);
    p->description = keep(b, gw_buf_steal(&d));
    p->subjects = subj;
    p->nsubjects = nsubj;
  }
  c->problems = probs;

  /* Key tasks, only when the check that sees them exists. */
  if (gw_check_find("ipv6.support")) {
    const char **pending;
    size_t n = sites_with_key(b, &s, "ipv6.unsupported", &pending);
    c->ipv6.total = (long)s.n;
    c->ipv6.done = (long)(s.n - n);
    c->ipv6.pending = pending;
    c->ipv6.npending = n;
  }
  if (gw_check_find("annual_report.publish")) {
    const char **late;
    size_t n = sites_with_key(b, &s, "annual_report.missing", &late);
    struct gw_circ_annual *a = keep_block(b, gw_calloc(1, sizeof *a));
    struct gw_buf w = GW_BUF_INIT;
    gw_buf_printf(&w, "%d年度政府信息公开工作年度报告和网站工作年度报表", y - 1);
    a->what = keep(b, gw_buf_steal(&w));
    a->total = (long)s.n;
    a->published = (long)(s.n - n);
    a->late = late;
    a->nlate = n;
    c->annual = a;
    c->nannual = 1;
  }

  /* 附件1: every site with a counted problem or a failing verdict. */
  struct gw_circ_site_row *rows = keep_block(b, gw_calloc(s.n, sizeof *rows));
  for (size_t i = 0; i < s.n; i++) {
    const struct gw_score_sheet *sh = s.v[i].sh.sheet;
    char *text = problems_text(rules, sh);
    if (!text[0] && sh->result != GW_RESULT_FAIL) {
      free(text);
      continue;
    }
    struct gw_circ_site_row *r = &rows[c->nsite_rows++];
    r->name = s.v[i].site.name;
    r->url = s.v[i].site.url;
    r->code = s.v[i].site.code;
    r->problems = keep(b, text[0] ? text : (free(text), gw_strdup(sh->reason ? sh->reason : "")));
    r->rectification = NULL; /* the ticket stage fills 整改情况 */
  }
  c->site_rows = rows;
  /* 附件2: every account with an established problem or a failing verdict. */
  struct gw_circ_account_row *arows = keep_block(b, gw_calloc(as.n + 1, sizeof *arows));
  for (size_t i = 0; i < as.n; i++) {
    const struct gw_score_sheet *sh = as.v[i].sh.sheet;
    char *text = account_problems_text(rules, sh);
    if (!text[0] && sh->result != GW_RESULT_FAIL) {
      free(text);
      continue;
    }
    struct gw_circ_account_row *r = &arows[c->naccount_rows++];
    r->name = keep(b, gw_strdup(as.v[i].acct.name));
    r->owner = keep(b, gw_strdup(as.v[i].unit ? as.v[i].unit : ""));
    r->type = gw_platform_label(as.v[i].acct.platform);
    r->result = gw_score_result_label(sh->result);
    r->problems = keep(b, text[0] ? text : (free(text), gw_strdup(sh->reason ? sh->reason : "")));
    r->rectification = NULL; /* the ticket stage fills 整改情况 */
  }
  c->account_rows = arows;
  /* The model borrows site strings: keep the site records alive with it. */
  for (size_t i = 0; i < s.n; i++) {
    keep(b, s.v[i].site.name);
    keep(b, s.v[i].site.url);
    keep(b, s.v[i].site.code);
    s.v[i].site.name = s.v[i].site.url = s.v[i].site.code = NULL;
  }
  if ((rc = gw_report_circular_check(c)) != GW_OK)
    goto fail;
  *out = b;
  b = NULL;
fail:
  gw_circ_build_free(&b);
  gw_site_list_free(&all);
  gw_account_list_free(&accts);
  aset_free(&as);
  sset_free(&s);
  return rc;
}

/* ---- the self-inspection report ---- */

int gw_inspect_self_report(struct gw_store *st, const struct gw_inspection *insp, int64_t unit_id, int64_t issued,
                           struct gw_buf *out)
{
  struct sset s;
  struct aset as = {0};
  struct gw_unit u;
  memset(&s, 0, sizeof s);
  memset(&u, 0, sizeof u);
  int rc = gw_store_unit_get(st, unit_id, &u);
  if (rc != GW_OK)
    return rc;
  if ((rc = gather(st, insp, false, &s)) != GW_OK || (rc = gather_accounts(st, insp, s.rules, unit_id, &as)) != GW_OK)
    goto done;
  size_t mine = 0, counted_n = 0, dismissed = 0, pending = 0;
  for (size_t i = 0; i < s.n; i++) {
    if (s.v[i].site.unit_id != unit_id)
      continue;
    mine++;
    if (s.v[i].sh.sheet) {
      dismissed += s.v[i].sh.n_dismissed;
      pending += s.v[i].sh.sheet->n_pending;
      for (size_t f = 0; f < s.v[i].sh.sheet->n_findings; f++)
        counted_n += counted(s.v[i].sh.sheet->findings[f].status);
    }
  }
  for (size_t i = 0; i < as.n; i++) {
    dismissed += as.v[i].sh.n_dismissed;
    pending += as.v[i].sh.sheet->n_pending;
    for (size_t f = 0; f < as.v[i].sh.sheet->n_findings; f++)
      counted_n += account_counted(as.v[i].sh.sheet->findings[f].status);
  }
  if (!mine && !as.n) {
    rc = gw_err_set(GW_ENOTFOUND, "report self: unit %s has no site or account in inspection #%lld", u.name,
                    (long long)insp->id);
    goto done;
  }
  static const char *const qzh[] = {"", "一", "二", "三", "四"};
  int y = 0, q = 0;
  bool quarterly = insp->quarter && gw_quarter_parse(insp->quarter, &y, &q) == GW_OK;
  char asof[32], date[32];
  gw_report_date_zh(insp->as_of, asof, sizeof asof);
  gw_report_date_zh(issued, date, sizeof date);
  if (quarterly)
    gw_buf_printf(out, "# %s%d年第%s季度政府网站自查自评报告\n\n", u.name, y, qzh[q]);
  else
    gw_buf_printf(out, "# %s政府网站自查自评报告\n\n", u.name);
  struct gw_buf accts_part = GW_BUF_INIT;
  if (as.n)
    gw_buf_printf(&accts_part, "和%zu个政务新媒体账号", as.n);
  gw_buf_printf(out,
                "根据《政府网站与政务新媒体检查指标》要求，我单位以%s为监测时间点，对本单位主办的%zu个政府网站"
                "%s开展了自查，现将自查自评情况报告如下。\n\n",
                asof, mine, gw_buf_cstr(&accts_part));
  gw_buf_free(&accts_part);
  gw_buf_puts(out, "## 一、总体情况\n\n");
  gw_buf_puts(out, "| 网站名称 | 网址 | 网站标识码 | 得分 | 结论 |\n| --- | --- | --- | --- | --- |\n");
  for (size_t i = 0; i < s.n; i++) {
    const struct sdata *d = &s.v[i];
    if (d->site.unit_id != unit_id)
      continue;
    char sc[32] = "—";
    const struct gw_score_sheet *sh = d->sh.sheet;
    if (sh && sh->has_score)
      gw_report_score((double)sh->final / 100.0, sc, sizeof sc);
    gw_buf_printf(out, "| %s | %s | %s | %s | %s |\n", d->site.name, d->site.url, d->site.code ? d->site.code : "",
                  sc, sh ? gw_score_result_label(sh->result) : "未完成检查");
  }
  if (as.n) {
    gw_buf_puts(out, "\n| 账号名称 | 账号类型 | 结论 | 存在的问题 |\n| --- | --- | --- | --- |\n");
    for (size_t i = 0; i < as.n; i++) {
      const struct gw_score_sheet *sh = as.v[i].sh.sheet;
      char *text = account_problems_text(s.rules, sh);
      gw_buf_printf(out, "| %s | %s | %s | %s |\n", as.v[i].acct.name, gw_platform_label(as.v[i].acct.platform),
                    gw_score_result_label(sh->result), text[0] ? text : "—");
      free(text);
    }
    gw_buf_puts(out, "\n政务新媒体结论为“待定”的，系本次无检查项能判定内容更新、互动回应等否决项，需人工检查后确定。\n");
  }
  gw_buf_printf(out,
                "\n本次自查共发现计分问题%zu处；经人工复核排除%zu处，另有%zu处待复核确认。"
                "结论为“待定”的，系可用性监测数据不足以判定“站点无法访问”。\n\n",
                counted_n, dismissed, pending);
  gw_buf_puts(out, "## 二、存在的问题\n\n");
  size_t no = 0;
  for (size_t i = 0; i < s.n; i++) {
    const struct sdata *d = &s.v[i];
    if (d->site.unit_id != unit_id || !d->sh.sheet)
      continue;
    const struct gw_score_sheet *sh = d->sh.sheet;
    for (size_t f = 0; f < sh->n_findings; f++) {
      const struct gw_sheet_finding *sf = &sh->findings[f];
      if (!counted(sf->status))
        continue;
      gw_buf_printf(out, "%zu. %s：%s（%s）", ++no, d->site.name, sf->title ? sf->title : "",
                    key_label(s.rules, sf->rule ? sf->rule : ""));
      if (sf->target)
        gw_buf_printf(out, "，对象 %s", sf->target);
      if (sf->url)
        gw_buf_printf(out, "，所在页面 %s", sf->url);
      gw_buf_printf(out, "。\n");
    }
  }
  for (size_t i = 0; i < as.n; i++) {
    const struct gw_score_sheet *sh = as.v[i].sh.sheet;
    for (size_t k = 0; k < sh->n_findings; k++) {
      const struct gw_sheet_finding *sf = &sh->findings[k];
      if (!account_counted(sf->status))
        continue;
      gw_buf_printf(out, "%zu. “%s”%s：%s（%s）", ++no, as.v[i].acct.name, gw_platform_label(as.v[i].acct.platform),
                    sf->title ? sf->title : "", key_label(s.rules, sf->rule ? sf->rule : ""));
      if (sf->detail)
        gw_buf_printf(out, "，%s", sf->detail);
      gw_buf_puts(out, "\n");
    }
  }
  if (!no)
    gw_buf_puts(out, "本次自查未发现计分问题。\n");
  gw_buf_puts(out,
              "\n## 三、下一步工作\n\n"
              "1. 对上述问题逐条整改，整改完成后在平台复核，确保同类问题不再发生。\n"
              "2. 落实信息发布“三审”制度和7×24小时值守，加强栏目日常巡查。\n"
              "3. 按季度开展自查，及时处置监管平台推送的问题和网民留言、纠错。\n\n"
              "## 四、结语\n\n"
              "我单位将以此次自查为契机，持续提升政府网站建设管理水平。\n\n");
  gw_buf_printf(out, "%s\n\n%s\n", u.name, date);
done:
  aset_free(&as);
  sset_free(&s);
  gw_unit_clear(&u);
  return rc;
}

/* ---- exports ---- */

const char *gw_inspect_csv_safe(const char *s, char **owned)
{
  *owned = NULL;
  if (!s || !strchr("=+-@\t\r", s[0]) || !s[0])
    return s ? s : "";
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_putc(&b, '\'');
  gw_buf_puts(&b, s);
  *owned = gw_buf_steal(&b);
  return *owned;
}

/* Add a row, guarded against formula injection for CSV. */
static void add_row(struct gw_table *t, bool csv, const char *const *cells, size_t n)
{
  char **owned = gw_calloc(n, sizeof *owned);
  const char **v = gw_calloc(n, sizeof *v);
  for (size_t i = 0; i < n; i++)
    v[i] = csv ? gw_inspect_csv_safe(cells[i], &owned[i]) : (cells[i] ? cells[i] : "");
  gw_table_add_row(t, v, n);
  for (size_t i = 0; i < n; i++)
    free(owned[i]);
  free(owned);
  free(v);
}

static void pts(int64_t cents, char *buf, size_t size)
{
  if (cents % 100 == 0)
    snprintf(buf, size, "%lld", (long long)(cents / 100));
  else if (cents % 10 == 0)
    snprintf(buf, size, "%lld.%lld", (long long)(cents / 100), (long long)((cents < 0 ? -cents : cents) % 100 / 10));
  else
    snprintf(buf, size, "%lld.%02lld", (long long)(cents / 100), (long long)((cents < 0 ? -cents : cents) % 100));
}

static int export_open(const char *path, bool *csv)
{
  enum gw_table_format fmt;
  int rc = gw_table_format_of(path, &fmt);
  if (rc != GW_OK)
    return rc;
  *csv = fmt == GW_TABLE_CSV;
  return GW_OK;
}

int gw_inspect_export_scores(struct gw_store *st, const struct gw_inspection *insp, const char *path, size_t *nrows)
{
  bool csv;
  int rc = export_open(path, &csv);
  if (rc != GW_OK)
    return rc;
  struct sset s;
  struct gw_unit_list units = {0};
  memset(&s, 0, sizeof s);
  if ((rc = gather(st, insp, false, &s)) != GW_OK || (rc = gw_store_unit_list(st, &units)) != GW_OK)
    goto done;
  static const char *const head[] = {"序号", "网站名称", "网址", "网站标识码", "主办单位", "类型", "得分",
                                     "结论", "单项否决", "扣分合计", "加分", "计分问题数", "已驳回", "待复核",
                                     "说明", "检查批次", "监测时间点"};
  enum { NCOL = sizeof head / sizeof head[0] };
  struct gw_table t;
  gw_table_init(&t, head, NCOL);
  char asof[32];
  gw_time_format(insp->as_of, asof, sizeof asof);
  for (size_t i = 0; i < s.n; i++) {
    const struct sdata *d = &s.v[i];
    const struct gw_score_sheet *sh = d->sh.sheet;
    char no[16], score[32] = "", ded[32] = "", bonus[32] = "", cnt[16] = "", dis[16] = "", pend[16] = "", id[24];
    struct gw_buf veto = GW_BUF_INIT;
    snprintf(no, sizeof no, "%zu", i + 1);
    snprintf(id, sizeof id, "%lld", (long long)insp->id);
    long ui = gw_reg_unit_index(&units, d->site.unit_id);
    if (sh) {
      if (sh->has_score)
        pts(sh->final, score, sizeof score);
      int64_t dsum = 0;
      for (size_t k = 0; k < sh->n_indicators; k++)
        dsum += sh->indicators[k].deducted;
      if (sh->scored)
        pts(dsum, ded, sizeof ded);
      if (sh->bonus_present)
        pts(sh->bonus, bonus, sizeof bonus);
      size_t n = 0;
      for (size_t f = 0; f < sh->n_findings; f++)
        n += counted(sh->findings[f].status);
      snprintf(cnt, sizeof cnt, "%zu", n);
      snprintf(dis, sizeof dis, "%zu", d->sh.n_dismissed);
      snprintf(pend, sizeof pend, "%zu", sh->n_pending);
      for (size_t v = 0; v < sh->n_vetoes; v++)
        if (sh->vetoes[v].hit)
          gw_buf_printf(&veto, "%s%s %s", gw_buf_cstr(&veto)[0] ? "；" : "", sh->vetoes[v].id, sh->vetoes[v].name);
    }
    const char *cells[NCOL] = {no,
                               d->site.name,
                               d->site.url,
                               d->site.code,
                               ui >= 0 ? units.v[ui].name : "",
                               gw_site_kind_label(d->site.kind),
                               score,
                               sh ? gw_score_result_label(sh->result) : "未完成",
                               gw_buf_cstr(&veto),
                               ded,
                               bonus,
                               cnt,
                               dis,
                               pend,
                               sh ? sh->reason : (d->row.error ? d->row.error : ""),
                               id,
                               asof};
    add_row(&t, csv, cells, NCOL);
    gw_buf_free(&veto);
  }
  rc = gw_table_write(path, &t, "评分表");
  if (rc == GW_OK && nrows)
    *nrows = t.nrows;
  gw_table_free(&t);
done:
  gw_unit_list_free(&units);
  sset_free(&s);
  return rc;
}

/* The problem-list rows of one subject (a site or an account): each
 * finding of its sheet, then the dismissed ones. */
static void problem_rows(struct gw_table *t, bool csv, size_t *no, const struct gw_rules *rules, const char *name,
                         const char *code, const char *kind, const struct gw_inspect_sheet *x)
{
  enum { NCOL = 19 };
  char ts[32];
  for (size_t f = 0; f < x->sheet->n_findings; f++) {
    const struct gw_sheet_finding *sf = &x->sheet->findings[f];
    const struct gw_finding_row *r = &x->rows[sf->index];
    char n[16], amount[32] = "", id[24];
    struct gw_buf rv = GW_BUF_INIT;
    snprintf(n, sizeof n, "%zu", ++*no);
    snprintf(id, sizeof id, "%s%lld", r->f.account_id ? "a" : "", (long long)r->id);
    if (sf->status == GW_FS_DEDUCTED)
      pts(sf->amount, amount, sizeof amount);
    if (x->review[sf->index].id)
      gw_buf_printf(&rv, "%s 于 %s 确认", x->review[sf->index].who,
                    gw_time_format(x->review[sf->index].at, ts, sizeof ts));
    const char *cells[NCOL] = {n,
                               name,
                               code,
                               r->f.rule,
                               key_label(rules, r->f.rule),
                               r->f.title,
                               gw_severity_label(r->f.severity),
                               gw_sheet_status_label(sf->status),
                               amount,
                               sf->item,
                               r->f.url,
                               r->f.target,
                               r->f.locator,
                               r->f.snippet,
                               r->f.detail,
                               r->fingerprint,
                               id,
                               gw_buf_cstr(&rv),
                               kind};
    add_row(t, csv, cells, NCOL);
    gw_buf_free(&rv);
  }
  for (size_t k = 0; k < x->n_dismissed; k++) {
    const struct gw_finding_row *r = &x->dismissed[k];
    const struct gw_review *by = &x->dismissed_by[k];
    char n[16], id[24];
    struct gw_buf rv = GW_BUF_INIT;
    snprintf(n, sizeof n, "%zu", ++*no);
    snprintf(id, sizeof id, "%s%lld", r->f.account_id ? "a" : "", (long long)r->id);
    gw_buf_printf(&rv, "%s 于 %s 驳回：%s", by->who, gw_time_format(by->at, ts, sizeof ts),
                  by->reason ? by->reason : "");
    const char *cells[NCOL] = {n,           name,          code,          r->f.rule,     key_label(rules, r->f.rule),
                               r->f.title,  gw_severity_label(r->f.severity), "已驳回", "", "",
                               r->f.url,    r->f.target,   r->f.locator,  r->f.snippet,  r->f.detail,
                               r->fingerprint, id,         gw_buf_cstr(&rv), kind};
    add_row(t, csv, cells, NCOL);
    gw_buf_free(&rv);
  }
}

int gw_inspect_export_problems(struct gw_store *st, const struct gw_inspection *insp, const char *path,
                               size_t *nrows)
{
  bool csv;
  int rc = export_open(path, &csv);
  if (rc != GW_OK)
    return rc;
  struct sset s;
  struct aset as = {0};
  memset(&s, 0, sizeof s);
  if ((rc = gather(st, insp, false, &s)) != GW_OK)
    return rc;
  if ((rc = gather_accounts(st, insp, s.rules, 0, &as)) != GW_OK) {
    sset_free(&s);
    return rc;
  }
  /* Accounts follow the sites; 对象类型 tells them apart, the name column
   * holds the account as the circular names it and 网站标识码 its platform. */
  static const char *const head[] = {"序号", "网站名称", "网站标识码", "规则", "问题类别", "问题", "性质", "状态",
                                     "扣分", "指标项", "页面", "对象", "位置", "摘录", "详情", "指纹", "编号",
                                     "复核", "对象类型"};
  enum { NCOL = sizeof head / sizeof head[0] };
  struct gw_table t;
  gw_table_init(&t, head, NCOL);
  size_t no = 0;
  for (size_t i = 0; i < s.n; i++)
    if (s.v[i].sh.sheet)
      problem_rows(&t, csv, &no, s.rules, s.v[i].site.name, s.v[i].site.code, "网站", &s.v[i].sh);
  for (size_t i = 0; i < as.n; i++) {
    char *subject = account_subject(&as.v[i].acct);
    problem_rows(&t, csv, &no, s.rules, subject, gw_platform_label(as.v[i].acct.platform), "政务新媒体",
                 &as.v[i].sh);
    free(subject);
  }
  rc = gw_table_write(path, &t, "问题清单");
  if (rc == GW_OK && nrows)
    *nrows = t.nrows;
  gw_table_free(&t);
  aset_free(&as);
  sset_free(&s);
  return rc;
}
