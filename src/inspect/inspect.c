/* Inspections: the per-site pipeline and scoring with review decisions
 * (see inspect.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "inspect/accounts.h"
#include "inspect/inspect.h"

/* Every check id the rule files in rules/ name (docs/rules.md); the ones in
 * the registry are simply found there as well. */
static const char *const g_planned[] = {
  "annual_report.publish", "columns.update",    "dates.forged",        "homepage.update",   "identity.domain",
  "identity.footer",       "interaction.channel", "interaction.reply", "interpretation.link", "ipv6.support",
  "links.broken",          "media.content",     "media.function",      "media.interaction", "media.register",
  "media.update",          "privacy.leak",      "search.box",          "security.bad_link", "security.defacement",
  "security.hidden_link",  "service.guide",     "service.presence",    "service.stats",     "wording.serious",
  "wording.typo",          NULL,
};

const char *const *gw_inspect_planned_checks(void)
{
  return g_planned;
}

int gw_inspect_rules_load(const char *path, struct gw_rules **out, struct gw_strv *missing)
{
  struct gw_strv ids = {0};
  for (size_t i = 0; i < gw_check_count(); i++)
    gw_strv_push(&ids, gw_check_at(i)->id);
  for (const char *const *p = g_planned; *p; p++) {
    if (gw_check_find(*p))
      continue;
    gw_strv_push(&ids, *p);
    /* media.register runs over the register, not the site registry. */
    if (missing && strcmp(*p, GW_MEDIA_REGISTER_CHECK) != 0)
      gw_strv_push(missing, *p);
  }
  gw_strv_push_owned(&ids, NULL);
  ids.n--; /* keep the terminating NULL out of the count */
  int rc = gw_rules_load(path, (const char *const *)ids.v, out);
  gw_strv_free(&ids);
  return rc;
}

void gw_inspect_report_clear(struct gw_inspect_report *r)
{
  if (!r)
    return;
  gw_inspection_clear(&r->insp);
  gw_strv_free(&r->not_checked);
  memset(r, 0, sizeof *r);
}

/* ---- findings with reviews ---- */

static char *dup0(const char *s)
{
  return s ? gw_strdup(s) : NULL;
}

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
    rv->cap = rv->cap ? rv->cap * 2 : 32;
    rv->v = gw_reallocarray(rv->v, rv->cap, sizeof *rv->v);
  }
  copy_row(&rv->v[rv->n++], r);
  return 0;
}

static void rows_free(struct gw_finding_row *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    gw_finding_row_clear(&v[i]);
  free(v);
}

static void reviews_free(struct gw_review *v, size_t n)
{
  for (size_t i = 0; v && i < n; i++)
    gw_review_clear(&v[i]);
  free(v);
}

void gw_inspect_sheet_clear(struct gw_inspect_sheet *s)
{
  if (!s)
    return;
  gw_score_sheet_free(&s->sheet);
  rows_free(s->rows, s->n);
  reviews_free(s->review, s->n);
  rows_free(s->dismissed, s->n_dismissed);
  reviews_free(s->dismissed_by, s->n_dismissed);
  gw_avail_figures_clear(&s->avail);
  memset(s, 0, sizeof *s);
}

int gw_inspect_score_site(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                          const struct gw_site *site, const struct gw_avail_thresholds *avail,
                          struct gw_inspect_sheet *out)
{
  struct gw_inspection_site row = {0};
  struct rowvec all = {0};
  struct gw_inspect_sheet s;
  struct gw_finding *fv = NULL;
  memset(&s, 0, sizeof s);
  int rc = gw_store_inspection_site_get(st, insp->id, site->id, &row);
  if (rc != GW_OK)
    return rc;
  if (row.run_id && (rc = gw_store_finding_each(st, row.run_id, NULL, collect_row, &all)) != GW_OK)
    goto done;
  s.rows = gw_calloc(all.n ? all.n : 1, sizeof *s.rows);
  s.review = gw_calloc(all.n ? all.n : 1, sizeof *s.review);
  s.dismissed = gw_calloc(all.n ? all.n : 1, sizeof *s.dismissed);
  s.dismissed_by = gw_calloc(all.n ? all.n : 1, sizeof *s.dismissed_by);
  for (size_t i = 0; i < all.n; i++) {
    struct gw_review rv;
    memset(&rv, 0, sizeof rv);
    rc = gw_store_review_decision(st, all.v[i].fingerprint, &rv);
    if (rc != GW_OK && rc != GW_ENOTFOUND)
      goto done;
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
    /* The crawl made for this inspection is its evidence even when it ran
     * after the as-of time (a 2025Q1 inspection run on 2 April): its
     * findings count here. Anything else observed later (another crawl)
     * stays the scorer's "after the as-of time". */
    if (row.crawl_id && fv[i].crawl_id == row.crawl_id && fv[i].observed_at > insp->as_of)
      fv[i].observed_at = insp->as_of;
  }

  struct gw_fact fact = {"availability.failure_share", 0, 1};
  struct gw_avail_thresholds t;
  if (avail)
    t = *avail;
  else
    gw_avail_thresholds_default(&t);
  if ((rc = gw_avail_period(st, site->id, 4, insp->as_of - 7 * 86400, insp->as_of, &t, &s.avail)) != GW_OK)
    goto done;
  if (s.avail.complete && s.avail.probes > 0) {
    s.avail_given = true;
    fact.num = s.avail.fail;
    fact.den = s.avail.probes;
  }
  int64_t qstart = 0, qend = 0;
  int y, q;
  if (insp->quarter && gw_quarter_parse(insp->quarter, &y, &q) == GW_OK)
    gw_quarter_bounds(y, q, &qstart, &qend);
  struct gw_site_facts sf = {
    .site_id = site->id,
    .name = site->name,
    .portal = site->kind == GW_SITE_PORTAL,
    .external_service = site->external_service,
    .window_start = qstart,
    .window_end = qend ? qend - 1 : 0,
    .facts = s.avail_given ? &fact : NULL,
    .n_facts = s.avail_given ? 1 : 0,
  };
  if ((rc = gw_score_site(rules, &sf, fv, s.n, insp->as_of, &s.sheet)) != GW_OK) {
    rc = gw_err_prefix(rc, "scoring %s in inspection #%lld", site->name, (long long)insp->id);
    goto done;
  }
  *out = s;
  memset(&s, 0, sizeof s);
done:
  free(fv);
  rows_free(all.v, all.n);
  gw_inspect_sheet_clear(&s);
  gw_inspection_site_clear(&row);
  return rc;
}

static void store_score(struct gw_inspection_site *row, const struct gw_score_sheet *sh)
{
  row->state = GW_INSP_SCORED;
  row->has_score = sh->has_score;
  row->score = sh->has_score ? sh->final : 0;
  row->result = (int)sh->result;
  free(row->reason);
  row->reason = gw_strdup(sh->reason ? sh->reason : "");
  free(row->error);
  row->error = NULL;
}

int gw_inspect_rescore(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                       const struct gw_site *site, const struct gw_avail_thresholds *avail, int64_t now)
{
  struct gw_inspect_sheet sh;
  struct gw_inspection_site row = {0};
  memset(&sh, 0, sizeof sh);
  int rc = gw_store_inspection_site_get(st, insp->id, site->id, &row);
  if (rc != GW_OK)
    return rc;
  if (row.state < GW_INSP_CHECKED)
    goto done; /* not checked yet: scoring waits for the inspection to get there */
  if ((rc = gw_inspect_score_site(st, rules, insp, site, avail, &sh)) != GW_OK)
    goto done;
  store_score(&row, sh.sheet);
  rc = gw_store_inspection_site_put(st, &row, now);
done:
  gw_inspect_sheet_clear(&sh);
  gw_inspection_site_clear(&row);
  return rc;
}

/* ---- the run ---- */

static void progress(const struct gw_inspect_opts *o, const struct gw_site *site, enum gw_inspect_step step,
                     const struct gw_inspection_site *row, const char *text)
{
  if (o->progress)
    o->progress(o->progress_ctx, site, step, row, text);
}

/* Find or make the inspection the options ask for. */
static int open_inspection(struct gw_store *st, const struct gw_inspect_opts *o, struct gw_inspect_report *rep)
{
  char quarter[16] = "";
  int64_t as_of = o->as_of;
  int rc;
  if (o->quarter) {
    int y, q;
    if ((rc = gw_quarter_parse(o->quarter, &y, &q)) != GW_OK)
      return rc;
    snprintf(quarter, sizeof quarter, "%dQ%d", y, q);
    if (!as_of) {
      int64_t a, b;
      gw_quarter_bounds(y, q, &a, &b);
      as_of = b - 1;
    }
  }
  struct gw_inspection in;
  memset(&in, 0, sizeof in);
  if (o->inspection_id) {
    rc = gw_store_inspection_get(st, o->inspection_id, &in);
  } else if (quarter[0] && !o->fresh) {
    rc = gw_store_inspection_last(st, quarter, &in);
    if (rc == GW_ENOTFOUND)
      gw_err_clear();
  } else {
    rc = GW_ENOTFOUND;
  }
  if (rc == GW_OK) {
    char a[32], b[32];
    if (quarter[0] && !gw_str_eq(in.quarter, quarter)) {
      rc = gw_err_set(GW_EINVAL, "inspection #%lld is of %s, not of %s", (long long)in.id,
                      in.quarter ? in.quarter : "no quarter", quarter);
    } else if (o->as_of && o->as_of != in.as_of) {
      rc = gw_err_set(GW_EINVAL,
                      "inspection #%lld has the as-of time %s, not %s (give --new for another inspection)",
                      (long long)in.id, gw_time_format(in.as_of, a, sizeof a), gw_time_format(o->as_of, b, sizeof b));
    }
    if (rc != GW_OK) {
      gw_inspection_clear(&in);
      return rc;
    }
    rep->resumed = true;
    rep->insp = in;
    return GW_OK;
  }
  if (rc != GW_ENOTFOUND)
    return rc;
  if (!as_of)
    return gw_err_set(GW_EINVAL, "inspect: give --as-of or --quarter (the as-of time of a new inspection)");
  if (gw_str_empty(o->rules_path))
    return gw_err_set(GW_EINVAL, "inspect: no rule file given for a new inspection");
  struct gw_rules *r = NULL;
  if ((rc = gw_inspect_rules_load(o->rules_path, &r, NULL)) != GW_OK)
    return rc;
  char *abs = realpath(o->rules_path, NULL);
  in.quarter = quarter[0] ? gw_strdup(quarter) : NULL;
  in.as_of = as_of;
  in.rules_path = abs ? abs : gw_strdup(o->rules_path);
  in.rules_id = gw_strdup(gw_rules_id(r));
  in.started_at = gw_now();
  gw_rules_free(&r);
  if ((rc = gw_store_inspection_insert(st, &in)) != GW_OK) {
    gw_inspection_clear(&in);
    return rc;
  }
  rep->insp = in;
  return GW_OK;
}

/* A finished crawl of the site made for this inspection before its row
 * says so (the process died between the two writes): reuse it. */
static int64_t crawl_made_for(struct gw_store *st, const struct gw_inspection *in, int64_t site_id)
{
  struct gw_crawl c;
  memset(&c, 0, sizeof c);
  int64_t id = 0;
  if (gw_store_crawl_last(st, site_id, false, &c) == GW_OK) {
    bool used = true;
    if (c.state == GW_CRAWL_DONE && c.as_of == in->as_of && c.started_at >= in->started_at &&
        gw_store_inspection_crawl_used(st, c.id, &used) == GW_OK && !used)
      id = c.id;
    gw_crawl_clear(&c);
  } else {
    gw_err_clear();
  }
  return id;
}

static void set_error(struct gw_inspection_site *row, const char *msg)
{
  free(row->error);
  row->error = gw_strdup(msg && *msg ? msg : "unknown error");
}

/* Take one site as far as it goes. Returns a store error only; the site's
 * own failures are recorded in its row. */
static int run_site(struct gw_store *st, const struct gw_rules *rules, const struct gw_site *site,
                    const struct gw_inspect_opts *o, struct gw_inspect_report *rep)
{
  const struct gw_inspection *in = &rep->insp;
  struct gw_inspection_site row = {0};
  struct gw_crawl_report crep;
  struct gw_check_run_report chk;
  memset(&crep, 0, sizeof crep);
  memset(&chk, 0, sizeof chk);
  int rc = gw_store_inspection_site_get(st, in->id, site->id, &row);
  if (rc == GW_ENOTFOUND) {
    gw_err_clear();
    memset(&row, 0, sizeof row);
    row.inspection_id = in->id;
    row.site_id = site->id;
    row.state = GW_INSP_PENDING;
    if ((rc = gw_store_inspection_site_put(st, &row, gw_now())) != GW_OK)
      goto done;
  } else if (rc != GW_OK) {
    goto done;
  }
  rep->sites++;
  bool reused = row.state >= GW_INSP_CHECKED;

  if (row.state == GW_INSP_PENDING) {
    int64_t made = crawl_made_for(st, in, site->id);
    if (made) {
      row.crawl_id = made;
      reused = true;
    } else {
      struct gw_crawl_opts co;
      if (o->crawl)
        co = *o->crawl;
      else
        gw_crawl_opts_default(&co);
      co.as_of = in->as_of;
      co.fresh = false;
      int crc = gw_crawl_site(st, site, &co, &crep);
      if (crc != GW_OK) {
        set_error(&row, gw_err_msg());
        gw_err_clear();
        if ((rc = gw_store_inspection_site_put(st, &row, gw_now())) == GW_OK)
          progress(o, site, GW_STEP_ERROR, &row, row.error);
        rep->failed++;
        goto done;
      }
      if (crep.state != GW_CRAWL_DONE) {
        set_error(&row, "抓取被中断，重新运行本检查即可继续 (crawl interrupted; run the inspection again to resume)");
        if ((rc = gw_store_inspection_site_put(st, &row, gw_now())) == GW_OK)
          progress(o, site, GW_STEP_ERROR, &row, row.error);
        rep->failed++;
        goto done;
      }
      row.crawl_id = crep.crawl_id;
      rep->crawled++;
    }
    row.state = GW_INSP_CRAWLED;
    free(row.error);
    row.error = NULL;
    if ((rc = gw_store_inspection_site_put(st, &row, gw_now())) != GW_OK)
      goto done;
    progress(o, site, GW_STEP_CRAWL, &row, made ? "reused" : "crawled");
  }

  if (row.state == GW_INSP_CRAWLED) {
    struct gw_check_run_opts ro = {
      .crawl_id = row.crawl_id, .as_of = in->as_of, .probe = o->probe, .probe_ctx = o->probe_ctx,
      .config = o->config};
    int crc = gw_check_run_site(st, site, &ro, &chk);
    if (crc != GW_OK || chk.failed) {
      struct gw_buf msg = GW_BUF_INIT;
      if (crc != GW_OK)
        gw_buf_puts(&msg, gw_err_msg());
      for (size_t i = 0; crc == GW_OK && i < chk.n; i++)
        if (chk.v[i].rc != GW_OK)
          gw_buf_printf(&msg, "%scheck %s: %s", gw_buf_cstr(&msg)[0] ? "; " : "", chk.v[i].check->id,
                        chk.v[i].error ? chk.v[i].error : "failed");
      if (crc == GW_OK)
        row.run_id = chk.run_id;
      set_error(&row, gw_buf_cstr(&msg));
      gw_buf_free(&msg);
      gw_err_clear();
      if ((rc = gw_store_inspection_site_put(st, &row, gw_now())) == GW_OK)
        progress(o, site, GW_STEP_ERROR, &row, row.error);
      rep->failed++;
      goto done;
    }
    row.run_id = chk.run_id;
    row.state = GW_INSP_CHECKED;
    if ((rc = gw_store_inspection_site_put(st, &row, gw_now())) != GW_OK)
      goto done;
    rep->checked++;
    progress(o, site, GW_STEP_CHECK, &row, "checked");
  }
  if (reused) {
    rep->reused++;
    progress(o, site, GW_STEP_SKIP, &row, "reused");
  }

  if ((rc = gw_inspect_rescore(st, rules, in, site, &o->avail, gw_now())) != GW_OK)
    goto done;
  gw_inspection_site_clear(&row);
  if ((rc = gw_store_inspection_site_get(st, in->id, site->id, &row)) != GW_OK)
    goto done;
  rep->scored++;
  if (row.result == GW_RESULT_PASS)
    rep->pass++;
  else if (row.result == GW_RESULT_FAIL)
    rep->fail++;
  else if (row.result == GW_RESULT_UNDETERMINED)
    rep->undetermined++;
  progress(o, site, GW_STEP_SCORE, &row, row.reason);
done:
  gw_crawl_report_clear(&crep);
  gw_check_run_report_clear(&chk);
  gw_inspection_site_clear(&row);
  return rc;
}

int gw_inspect_run(struct gw_store *st, const struct gw_site_list *sites, const struct gw_inspect_opts *o,
                   struct gw_inspect_report *out)
{
  struct gw_inspect_report rep;
  struct gw_rules *rules = NULL;
  struct gw_inspection_site_list rows = {0};
  memset(&rep, 0, sizeof rep);
  int rc = open_inspection(st, o, &rep);
  if (rc != GW_OK)
    goto done;
  if ((rc = gw_inspect_rules_load(rep.insp.rules_path, &rules, &rep.not_checked)) != GW_OK) {
    rc = gw_err_prefix(rc, "inspection #%lld: its rule file", (long long)rep.insp.id);
    goto done;
  }
  for (size_t i = 0; i < sites->n; i++)
    if ((rc = run_site(st, rules, &sites->v[i], o, &rep)) != GW_OK)
      goto done;
  if (o->accounts &&
      (rc = gw_inspect_run_accounts(st, rules, &rep.insp, o->accounts->v, o->accounts->n, &rep)) != GW_OK)
    goto done;
  /* Finished when every site in it (also those of earlier runs) is scored. */
  if ((rc = gw_store_inspection_site_list(st, rep.insp.id, &rows)) != GW_OK)
    goto done;
  bool all = rows.n > 0;
  for (size_t i = 0; i < rows.n; i++)
    if (rows.v[i].state != GW_INSP_SCORED)
      all = false;
  int64_t fin = all ? gw_now() : 0;
  if ((rc = gw_store_inspection_finish(st, rep.insp.id, fin)) != GW_OK)
    goto done;
  rep.insp.finished_at = fin;
  *out = rep;
  memset(&rep, 0, sizeof rep);
done:
  gw_inspection_site_list_free(&rows);
  gw_rules_free(&rules);
  gw_inspect_report_clear(&rep);
  return rc;
}

/* ---- manual findings ---- */

int gw_inspect_add_manual(struct gw_store *st, const struct gw_rules *rules, const struct gw_inspection *insp,
                          const struct gw_site *site, const struct gw_manual_finding *m, int64_t now,
                          char fingerprint[17])
{
  struct gw_inspection_site row = {0};
  struct rowvec have = {0};
  struct gw_finding *fv = NULL;
  struct gw_buf key = GW_BUF_INIT;
  int rc;
  if (gw_str_empty(m->rule) || !gw_rules_key_known(rules, m->rule))
    return gw_err_set(GW_EINVAL, "finding add: --rule '%s' is not a rule key of %s (see docs/rules.md)",
                      m->rule ? m->rule : "", gw_rules_id(rules));
  if (gw_str_empty(m->title))
    return gw_err_set(GW_EINVAL, "finding add: --title is empty");
  if (gw_str_empty(m->who))
    return gw_err_set(GW_EINVAL, "finding add: who adds it is not known (--by)");
  if ((rc = gw_store_inspection_site_get(st, insp->id, site->id, &row)) != GW_OK)
    return rc;
  if (!row.run_id) {
    rc = gw_err_set(GW_ENOTFOUND, "finding add: %s has no check run in inspection #%lld yet (run govwatch inspect first)",
                    site->name, (long long)insp->id);
    goto done;
  }
  if ((rc = gw_store_finding_each(st, row.run_id, "manual", collect_row, &have)) != GW_OK)
    goto done;
  gw_buf_printf(&key, "%s|%s|%s", m->rule, m->url ? m->url : "", m->title);
  json_t *obs = json_pack("{sbss}", "manual", 1, "by", m->who);
  char *obs_text = json_dumps(obs, JSON_COMPACT);
  json_decref(obs);
  struct gw_finding nf = {
    .check = "manual",
    .rule = (char *)m->rule,
    .severity = m->severity ? m->severity : GW_SEV_DEDUCT,
    .site_id = site->id,
    .crawl_id = row.crawl_id,
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
  rc = gw_store_findings_replace(st, row.run_id, "manual", fv, have.n + 1);
  free(obs_text);
  if (rc == GW_EEXIST) {
    rc = gw_err_set(GW_EEXIST, "finding add: %s already has this manual finding (fingerprint %s)", site->name, fp);
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
  free(fv);
  rows_free(have.v, have.n);
  gw_buf_free(&key);
  gw_inspection_site_clear(&row);
  return rc;
}

/* ---- sheet output ---- */

static json_t *jtext(const char *s)
{
  if (!s)
    return json_null();
  json_t *v = json_string(s);
  return v ? v : json_string("\xEF\xBF\xBD");
}

static json_t *review_json(const struct gw_review *r)
{
  char t[40];
  if (!r || !r->id)
    return json_null();
  json_t *o = json_object();
  json_object_set_new(o, "action", json_string(r->action == GW_REVIEW_DISMISS ? "dismissed" : "confirmed"));
  json_object_set_new(o, "who", jtext(r->who));
  json_object_set_new(o, "at", json_string(gw_time_format_iso(r->at, t, sizeof t)));
  json_object_set_new(o, "reason", jtext(r->reason));
  return o;
}

static json_t *evidence_json(const struct gw_finding_row *r)
{
  json_t *o = json_object();
  json_object_set_new(o, "finding_id", json_integer((json_int_t)r->id));
  json_object_set_new(o, "url", jtext(r->f.url));
  json_object_set_new(o, "target", jtext(r->f.target));
  json_object_set_new(o, "locator", jtext(r->f.locator));
  json_object_set_new(o, "snippet", jtext(r->f.snippet));
  json_t *obs = r->f.observed_json ? json_loads(r->f.observed_json, 0, NULL) : NULL;
  json_object_set_new(o, "observed", obs ? obs : json_null());
  return o;
}

char *gw_inspect_sheet_json(const struct gw_inspect_sheet *s, const struct gw_inspection *insp)
{
  json_t *o = gw_score_sheet_to_json(s->sheet);
  json_t *fs = json_object_get(o, "findings");
  for (size_t i = 0; i < json_array_size(fs); i++) {
    json_t *f = json_array_get(fs, i);
    json_int_t idx = json_integer_value(json_object_get(f, "index"));
    if (idx < 0 || (size_t)idx >= s->n)
      continue;
    json_object_set_new(f, "evidence", evidence_json(&s->rows[idx]));
    json_object_set_new(f, "review", review_json(&s->review[idx]));
  }
  json_t *d = json_array();
  for (size_t i = 0; i < s->n_dismissed; i++) {
    const struct gw_finding_row *r = &s->dismissed[i];
    json_t *f = json_object();
    json_object_set_new(f, "fingerprint", json_string(r->fingerprint));
    json_object_set_new(f, "check", jtext(r->check));
    json_object_set_new(f, "rule", jtext(r->f.rule));
    json_object_set_new(f, "title", jtext(r->f.title));
    json_object_set_new(f, "evidence", evidence_json(r));
    json_object_set_new(f, "review", review_json(&s->dismissed_by[i]));
    json_array_append_new(d, f);
  }
  json_object_set_new(o, "dismissed", d);
  json_t *ji = json_object();
  char t[40];
  json_object_set_new(ji, "id", json_integer((json_int_t)insp->id));
  json_object_set_new(ji, "quarter", jtext(insp->quarter));
  json_object_set_new(ji, "as_of", json_string(gw_time_format_iso(insp->as_of, t, sizeof t)));
  json_object_set_new(ji, "rules", jtext(insp->rules_path));
  json_object_set_new(o, "inspection", ji);
  json_t *av = json_object();
  json_object_set_new(av, "given", json_boolean(s->avail_given));
  json_object_set_new(av, "probes", json_integer((json_int_t)s->avail.probes));
  json_object_set_new(av, "failed", json_integer((json_int_t)s->avail.fail));
  json_object_set_new(av, "complete", json_boolean(s->avail.complete));
  json_object_set_new(o, "availability", av);
  char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
  json_decref(o);
  if (!text) {
    fprintf(stderr, "govwatch: out of memory (score sheet JSON)\n");
    abort();
  }
  return text;
}

char *gw_inspect_sheet_text(const struct gw_inspect_sheet *s, const struct gw_inspection *insp)
{
  struct gw_buf b = GW_BUF_INIT;
  char t[32], t2[32];
  char qpart[32] = "";
  if (insp->quarter)
    snprintf(qpart, sizeof qpart, "（%s）", insp->quarter);
  gw_buf_printf(&b, "检查批次 #%lld%s，监测时间点 %s，规则 %s\n", (long long)insp->id, qpart,
                gw_time_format(insp->as_of, t, sizeof t), insp->rules_path);
  char *sheet = gw_score_sheet_text(s->sheet);
  gw_buf_puts(&b, sheet);
  free(sheet);
  if (s->sheet->media) {
    /* accounts have no availability monitoring */
  } else if (s->avail_given)
    gw_buf_printf(&b, "\n可用性监测：监测时间点前1周 %lld 次访问，失败 %lld 次。\n", (long long)s->avail.probes,
                  (long long)s->avail.fail);
  else
    gw_buf_printf(&b, "\n可用性监测：监测时间点前1周仅有 %lld 次有效访问，不足以判定“站点无法访问”。\n",
                  (long long)s->avail.probes);
  gw_buf_puts(&b, "\n证据（按问题）：\n");
  for (size_t i = 0; i < s->n; i++) {
    const struct gw_finding_row *r = &s->rows[i];
    gw_buf_printf(&b, "  [%zu] #%lld %s %s：%s\n", i, (long long)r->id, r->fingerprint, r->f.rule,
                  r->f.title ? r->f.title : "");
    if (r->f.url)
      gw_buf_printf(&b, "      页面：%s\n", r->f.url);
    if (r->f.target)
      gw_buf_printf(&b, "      对象：%s\n", r->f.target);
    if (r->f.locator)
      gw_buf_printf(&b, "      位置：%s\n", r->f.locator);
    if (r->f.snippet)
      gw_buf_printf(&b, "      摘录：%s\n", r->f.snippet);
    if (r->f.detail)
      gw_buf_printf(&b, "      详情：%s\n", r->f.detail);
    if (s->review[i].id)
      gw_buf_printf(&b, "      复核：%s 于 %s 确认\n", s->review[i].who, gw_time_format(s->review[i].at, t2, sizeof t2));
  }
  if (s->n_dismissed) {
    gw_buf_puts(&b, "\n已排除（复核驳回，不计分）：\n");
    for (size_t i = 0; i < s->n_dismissed; i++) {
      const struct gw_finding_row *r = &s->dismissed[i];
      const struct gw_review *rv = &s->dismissed_by[i];
      gw_buf_printf(&b, "  #%lld %s %s：%s（%s 于 %s 驳回，理由：%s）\n", (long long)r->id, r->fingerprint, r->f.rule,
                    r->f.title ? r->f.title : "", rv->who, gw_time_format(rv->at, t2, sizeof t2),
                    rv->reason ? rv->reason : "");
    }
  }
  return gw_buf_steal(&b);
}
