/* Scoring: rule set + findings + facts + as-of time -> score sheet. */
#include "rules/score.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "rules/rules_int.h"
#include "rules/sheet_int.h"

/* What the scoring knows about the subject, site or account alike. */
struct subj {
  bool media, portal, ext;
  int64_t id;
  const char *name, *platform;
  int64_t window_start, window_end;
  const struct gw_fact *facts;
  size_t n_facts;
  bool judged_given;          /* judged[] says which keys a check could judge */
  const char *const *judged;
  size_t n_judged;
};

/* Per finding, while scoring. */
struct fw {
  size_t key;        /* rule-key index, SIZE_MAX when not scored */
  char *obj;         /* the object: target, else the identity (fingerprint) */
  bool eligible;     /* confirmed, in time, veto/deduct severity */
  size_t flat;       /* deduction item (flattened), SIZE_MAX none */
};

struct ctx {
  const struct gw_rules *r;
  const struct r_scheme *sc;
  const struct subj *sj;
  const struct gw_finding *f;
  size_t n;
  struct fw *w;
  size_t *order;     /* finding indices in fingerprint order */
  struct gw_score_sheet *s;
};

/* ---- helpers ---------------------------------------------------------------- */

static char *dup0(const char *s)
{
  return s ? gw_strdup(s) : NULL;
}

/* Findings in fingerprint order, so the sheet does not depend on the order
 * the caller gives them in. */
struct ord {
  const char *fp, *rule;
  size_t i;
};

static int ord_cmp(const void *pa, const void *pb)
{
  const struct ord *x = pa, *y = pb;
  int c = strcmp(x->fp, y->fp);
  if (c)
    return c;
  c = strcmp(x->rule, y->rule);
  if (c)
    return c;
  return x->i < y->i ? -1 : x->i > y->i;
}

static int str_cmp(const void *pa, const void *pb)
{
  return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static size_t count_distinct(const char **objs, size_t n)
{
  if (n == 0)
    return 0;
  qsort(objs, n, sizeof *objs, str_cmp);
  size_t d = 1;
  for (size_t i = 1; i < n; i++)
    d += strcmp(objs[i - 1], objs[i]) != 0;
  return d;
}

static bool key_in(size_t key, const size_t *keys, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (keys[i] == key)
      return true;
  return false;
}

static const struct gw_fact *find_fact(const struct subj *sj, const char *name)
{
  for (size_t i = 0; i < sj->n_facts; i++)
    if (strcmp(sj->facts[i].name, name) == 0)
      return &sj->facts[i];
  return NULL;
}

/* The observed number `field` of a finding, from its observed_json. */
static bool observed_int(const struct gw_finding *f, const char *field, int64_t *out)
{
  if (!f->observed_json)
    return false;
  json_error_t err;
  json_t *o = json_loads(f->observed_json, 0, &err);
  bool ok = false;
  if (o) {
    json_t *v = json_object_get(o, field);
    if (json_is_integer(v)) {
      *out = json_integer_value(v);
      ok = true;
    }
    json_decref(o);
  }
  return ok;
}

/* ---- conditions ------------------------------------------------------------ */

static bool judged_key(const struct subj *sj, const char *key)
{
  for (size_t i = 0; key && i < sj->n_judged; i++)
    if (sj->judged[i] && strcmp(sj->judged[i], key) == 0)
      return true;
  return false;
}

static void eval_cond(struct ctx *x, const struct r_cond *rc, struct gw_sheet_cond *out)
{
  out->id = gw_strdup(rc->id);
  out->desc = gw_sheet_cond_desc_(x->r, rc);
  out->uncertain = rc->uncertain;
  if (rc->kind == R_COND_FACT) {
    out->fact = true;
    out->thr_e4 = rc->thr_e4;
    out->thr_percent = rc->thr_percent;
    out->min_sample = rc->min_sample;
    const struct gw_fact *f = find_fact(x->sj, x->r->facts[rc->fact].name);
    if (!f) {
      out->undetermined = true;
      return;
    }
    out->fact_given = true;
    out->num = f->num;
    out->den = f->den;
    if (rc->min_sample && f->den < rc->min_sample) {
      out->undetermined = true;
      return;
    }
    out->hit = (__int128)f->num * 10000 >= (__int128)rc->thr_e4 * f->den;
    return;
  }
  out->at_least = rc->at_least;
  const char **objs = gw_calloc(x->n + 1, sizeof *objs);
  out->findings = gw_calloc(x->n + 1, sizeof *out->findings);
  size_t m = 0;
  for (size_t k = 0; k < x->n; k++) {
    size_t i = x->order[k];
    if (!x->w[i].eligible || !key_in(x->w[i].key, rc->keys, rc->n_keys))
      continue;
    if (rc->where_field) {
      int64_t v = 0;
      if (!observed_int(&x->f[i], rc->where_field, &v)) {
        out->unreadable++;
        continue;
      }
      if (v < rc->where_at_least)
        continue;
    }
    objs[m] = x->w[i].obj;
    out->findings[m++] = i;
  }
  out->n_findings = m;
  out->count = (int64_t)count_distinct(objs, m);
  out->hit = out->count >= rc->at_least;
  free(objs);
  /* Nothing found is evidence of no problem only where a check looked:
   * a key no check could judge leaves the condition undetermined, as a
   * missing fact does. */
  if (!out->hit && x->sj->judged_given)
    for (size_t k = 0; k < rc->n_keys && !out->undetermined; k++)
      if (!judged_key(x->sj, gw_rules_key_at(x->r, rc->keys[k])))
        out->undetermined = true;
}

static void eval_conds(struct ctx *x, const struct r_cond *rc, size_t n, struct gw_sheet_cond **out, size_t *n_out,
                       bool *hit, bool *undetermined)
{
  struct gw_sheet_cond *v = gw_calloc(n + 1, sizeof *v);
  *hit = *undetermined = false;
  for (size_t i = 0; i < n; i++) {
    eval_cond(x, &rc[i], &v[i]);
    *hit |= v[i].hit;
    *undetermined |= v[i].undetermined;
  }
  if (*hit)
    *undetermined = false;
  *out = v;
  *n_out = n;
}

static bool requires_ok(const struct subj *sj, unsigned req)
{
  if ((req & R_REQ_PORTAL) && !sj->portal)
    return false;
  if ((req & R_REQ_EXTERNAL_SERVICE) && !sj->ext)
    return false;
  return true;
}

/* ---- vetoes -------------------------------------------------------------------- */

static void score_vetoes(struct ctx *x)
{
  struct gw_score_sheet *s = x->s;
  s->vetoes = gw_calloc(x->sc->n_vetoes + 1, sizeof *s->vetoes);
  s->n_vetoes = x->sc->n_vetoes;
  for (size_t i = 0; i < x->sc->n_vetoes; i++) {
    const struct r_veto *rv = &x->sc->vetoes[i];
    struct gw_sheet_veto *v = &s->vetoes[i];
    v->id = gw_strdup(rv->id);
    v->name = gw_strdup(rv->name);
    v->uncertain = rv->uncertain;
    v->applicable = requires_ok(x->sj, rv->requires);
    if (!v->applicable)
      continue;
    eval_conds(x, rv->conds, rv->n_conds, &v->conds, &v->n_conds, &v->hit, &v->undetermined);
    if (v->hit) {
      s->vetoed = true;
      for (size_t c = 0; c < v->n_conds; c++)
        if (v->conds[c].hit && (rv->uncertain || v->conds[c].uncertain))
          s->uses_uncertain = true;
    }
  }
  if (!s->vetoed)
    return;
  /* The findings that caused a hit veto say so; the rest were not reached. */
  for (size_t i = 0; i < s->n_vetoes; i++) {
    const struct gw_sheet_veto *v = &s->vetoes[i];
    for (size_t c = 0; v->hit && c < v->n_conds; c++) {
      if (!v->conds[c].hit)
        continue;
      for (size_t k = 0; k < v->conds[c].n_findings; k++) {
        struct gw_sheet_finding *sf = &s->findings[v->conds[c].findings[k]];
        if (sf->status == 0) {
          sf->status = GW_FS_VETO;
          sf->item = gw_strdup(v->id);
        }
      }
    }
  }
  for (size_t i = 0; i < x->n; i++)
    if (x->w[i].eligible && s->findings[i].status == 0)
      s->findings[i].status = GW_FS_NOT_REACHED;
}

/* ---- deductions ---------------------------------------------------------------- */

struct flat_item {
  const struct r_item *it;
  size_t ind;
  struct gw_sheet_item *out;
};

/* Findings of one object, grouped to find what supersedes what. */
struct objrec {
  const char *obj;
  size_t finding;
  size_t rank;       /* position in x->order */
};

static int rank_cmp(const void *pa, const void *pb)
{
  const struct objrec *a = pa, *b = pb;
  return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static int obj_cmp(const void *pa, const void *pb)
{
  const struct objrec *a = pa, *b = pb;
  int c = strcmp(a->obj, b->obj);
  return c ? c : rank_cmp(pa, pb);
}

static void score_deductions(struct ctx *x)
{
  struct gw_score_sheet *s = x->s;
  const struct r_deduction *d = &x->sc->ded;
  s->scored = true;
  s->total = d->total;
  s->fail_below = d->fail_below;
  if (d->uncertain)
    s->uses_uncertain = true;

  bool *skip = gw_calloc(d->n_inds + 1, sizeof *skip);
  if (!x->sj->ext && d->nes_present) {
    for (size_t i = 0; i < d->n_skip; i++) {
      skip[d->skip[i]] = true;
      s->skipped_points += d->inds[d->skip[i]].points;
    }
    s->adjust = d->nes == R_NES_SCALE ? GW_ADJ_SCALE : GW_ADJ_SPREAD;
    if (d->nes_uncertain)
      s->uses_uncertain = true;
  }

  /* The sheet's indicators and items, and the flattened item table. */
  size_t n_flat = 0;
  for (size_t i = 0; i < d->n_inds; i++)
    n_flat += d->inds[i].n_items;
  struct flat_item *flat = gw_calloc(n_flat + 1, sizeof *flat);
  s->indicators = gw_calloc(d->n_inds + 1, sizeof *s->indicators);
  s->n_indicators = d->n_inds;
  size_t n_scored = 0;
  for (size_t i = 0; i < d->n_inds; i++)
    n_scored += !skip[i];
  /* Spread: the skipped points go to the scored indicators in equal shares,
   * the hundredths left over one each to the first ones. */
  int64_t share = 0, extra = 0;
  if (s->adjust == GW_ADJ_SPREAD) {
    share = s->skipped_points / (int64_t)n_scored;
    extra = s->skipped_points % (int64_t)n_scored;
  }
  size_t f = 0;
  for (size_t i = 0; i < d->n_inds; i++) {
    const struct r_indicator *ri = &d->inds[i];
    struct gw_sheet_indicator *si = &s->indicators[i];
    si->id = gw_strdup(ri->id);
    si->name = gw_strdup(ri->name);
    si->skipped = skip[i];
    si->uncertain = ri->uncertain;
    si->points = ri->points;
    si->effective = ri->points;
    if (!skip[i] && s->adjust == GW_ADJ_SPREAD) {
      si->effective += share + (extra > 0 ? 1 : 0);
      if (extra > 0)
        extra--;
    }
    if (!skip[i] && ri->uncertain)
      s->uses_uncertain = true;
    si->items = gw_calloc(ri->n_items + 1, sizeof *si->items);
    si->n_items = ri->n_items;
    for (size_t j = 0; j < ri->n_items; j++, f++) {
      const struct r_item *it = &ri->items[j];
      struct gw_sheet_item *o = &si->items[j];
      o->id = gw_strdup(it->id);
      o->name = gw_strdup(it->name);
      o->per_finding = it->per;
      o->cap = it->cap;
      o->uncertain = it->uncertain;
      o->lines = gw_calloc(x->n + 1, sizeof *o->lines);
      flat[f] = (struct flat_item){it, i, o};
    }
  }
  /* key -> the item deducting it (the loader makes it unique) */
  size_t *owner = gw_malloc((x->r->n_keys + 1) * sizeof *owner);
  for (size_t k = 0; k < x->r->n_keys; k++)
    owner[k] = SIZE_MAX;
  for (f = 0; f < n_flat; f++)
    for (size_t k = 0; k < flat[f].it->n_keys; k++)
      owner[flat[f].it->keys[k]] = f;

  /* Which findings reach an item. */
  struct objrec *cand = gw_calloc(x->n + 1, sizeof *cand);
  size_t n_cand = 0;
  for (size_t k = 0; k < x->n; k++) {
    size_t i = x->order[k];
    if (!x->w[i].eligible)
      continue;
    size_t o = owner[x->w[i].key];
    if (o == SIZE_MAX)
      continue; /* UNUSED, or BONUS later */
    if (skip[flat[o].ind]) {
      s->findings[i].status = GW_FS_SKIPPED_INDICATOR;
      s->findings[i].item = gw_strdup(flat[o].it->id);
      continue;
    }
    x->w[i].flat = o;
    cand[n_cand++] = (struct objrec){x->w[i].obj, i, k};
  }
  /* Group by object; within a group, a finding whose key an item of another
   * finding supersedes yields to that finding (to the one that finally
   * stands, following chains), and a second finding of one item is a
   * duplicate of the first. */
  qsort(cand, n_cand, sizeof *cand, obj_cmp);
  for (size_t a = 0; a < n_cand;) {
    size_t b = a;
    while (b < n_cand && strcmp(cand[a].obj, cand[b].obj) == 0)
      b++;
    /* One pass marks every finding that has a superseder in the group; the
     * loader forbids cycles, so the top of each chain stays. */
    for (size_t p = a; p < b; p++) {
      size_t i = cand[p].finding;
      struct gw_sheet_finding *sf = &s->findings[i];
      for (size_t q = a; q < b; q++) {
        size_t g = cand[q].finding;
        const struct r_item *by = flat[x->w[g].flat].it;
        if (g == i || x->w[g].flat == x->w[i].flat || !key_in(x->w[i].key, by->sup, by->n_sup))
          continue;
        sf->status = GW_FS_SUPERSEDED;
        sf->item = gw_strdup(by->id);
        sf->related = g;
        break;
      }
    }
    /* Point superseded findings at the finding that stands. */
    for (size_t p = a; p < b; p++) {
      struct gw_sheet_finding *sf = &s->findings[cand[p].finding];
      size_t hops = 0;
      while (sf->status == GW_FS_SUPERSEDED && s->findings[sf->related].status == GW_FS_SUPERSEDED &&
             hops++ <= n_flat) {
        size_t next = s->findings[sf->related].related;
        free(sf->item);
        sf->item = gw_strdup(s->findings[sf->related].item);
        sf->related = next;
      }
    }
    for (size_t p = a; p < b; p++) {
      size_t i = cand[p].finding;
      struct gw_sheet_finding *sf = &s->findings[i];
      if (sf->status)
        continue;
      for (size_t q = a; q < p; q++) {
        size_t g = cand[q].finding;
        if (x->w[g].flat == x->w[i].flat && s->findings[g].status == 0) {
          sf->status = GW_FS_DUPLICATE;
          sf->item = gw_strdup(flat[x->w[i].flat].it->id);
          sf->related = g;
          break;
        }
      }
    }
    a = b;
  }
  /* Deduct in fingerprint order, item cap first. */
  qsort(cand, n_cand, sizeof *cand, rank_cmp);
  for (size_t p = 0; p < n_cand; p++) {
    size_t i = cand[p].finding;
    struct gw_sheet_finding *sf = &s->findings[i];
    if (sf->status)
      continue;
    struct flat_item *fi = &flat[x->w[i].flat];
    struct gw_sheet_item *o = fi->out;
    int64_t amount = fi->it->per;
    bool capped = false;
    if (fi->it->cap >= 0 && o->deducted + amount > fi->it->cap) {
      amount = fi->it->cap - o->deducted;
      capped = true;
    }
    o->sum += fi->it->per;
    o->deducted += amount;
    o->lines[o->n_lines++] = (struct gw_sheet_line){i, amount, capped};
    sf->status = GW_FS_DEDUCTED;
    sf->amount = amount;
    sf->item = gw_strdup(fi->it->id);
    if (amount > 0 && fi->it->uncertain)
      s->uses_uncertain = true;
  }
  /* Indicator caps and the part's score. */
  for (size_t i = 0; i < s->n_indicators; i++) {
    struct gw_sheet_indicator *si = &s->indicators[i];
    for (size_t j = 0; j < si->n_items; j++)
      si->items_sum += si->items[j].deducted;
    si->deducted = si->items_sum < si->effective ? si->items_sum : si->effective;
    si->score = si->effective - si->deducted;
    if (!si->skipped)
      s->raw += si->score;
  }
  if (s->adjust == GW_ADJ_SCALE) {
    int64_t den = s->total - s->skipped_points;
    s->score = (s->raw * s->total * 2 + den) / (2 * den);
  } else {
    s->score = s->raw;
  }
  free(skip);
  free(flat);
  free(owner);
  free(cand);
}

/* score (exact, before rounding) compared with a threshold: <0, 0, >0 */
static int cmp_score(const struct gw_score_sheet *s, int64_t threshold)
{
  __int128 a, b;
  if (s->adjust == GW_ADJ_SCALE) {
    a = (__int128)s->raw * s->total;
    b = (__int128)threshold * (s->total - s->skipped_points);
  } else {
    a = s->raw;
    b = threshold;
  }
  return a < b ? -1 : a > b;
}

/* ---- bonus --------------------------------------------------------------------- */

static void score_bonus(struct ctx *x)
{
  struct gw_score_sheet *s = x->s;
  const struct r_bonus *b = &x->sc->bonus;
  s->bonus_present = true;
  s->bonus_total = b->total;
  s->bonus_entry = b->entry;
  s->bonus_entry_strict = b->entry_strict;
  s->bonus_applicable = requires_ok(x->sj, b->requires);
  if (!s->bonus_applicable || s->result == GW_RESULT_FAIL)
    return;
  int c = cmp_score(s, b->entry);
  s->bonus_entered = b->entry_strict ? c > 0 : c >= 0;
  if (!s->bonus_entered)
    return;
  if (b->uncertain)
    s->uses_uncertain = true;
  s->bonus_items = gw_calloc(b->n_items + 1, sizeof *s->bonus_items);
  s->n_bonus_items = b->n_items;
  for (size_t i = 0; i < b->n_items; i++) {
    const struct r_bitem *ri = &b->items[i];
    struct gw_sheet_bonus_item *o = &s->bonus_items[i];
    o->id = gw_strdup(ri->id);
    o->name = gw_strdup(ri->name);
    o->points = ri->points;
    o->uncertain = ri->uncertain;
    eval_conds(x, ri->conds, ri->n_conds, &o->conds, &o->n_conds, &o->awarded, &o->undetermined);
    if (!o->awarded)
      continue;
    s->bonus_sum += ri->points;
    if (ri->uncertain)
      s->uses_uncertain = true;
    for (size_t c2 = 0; c2 < o->n_conds; c2++)
      for (size_t k = 0; o->conds[c2].hit && k < o->conds[c2].n_findings; k++) {
        struct gw_sheet_finding *sf = &s->findings[o->conds[c2].findings[k]];
        if (sf->status == 0) {
          sf->status = GW_FS_BONUS;
          sf->item = gw_strdup(o->id);
        }
      }
  }
  s->bonus = s->bonus_sum < b->total ? s->bonus_sum : b->total;
}

/* ---- the whole ------------------------------------------------------------------- */

static int fact_check(const struct gw_rules *r, const struct subj *sj)
{
  for (size_t i = 0; i < sj->n_facts; i++) {
    const struct gw_fact *f = &sj->facts[i];
    if (!f->name || gw_rules_fact_index_(r, f->name) == SIZE_MAX)
      return gw_err_set(GW_EINVAL, "fact '%.80s' is not a fact of rule set %s", f->name ? f->name : "(null)", r->id);
    if (f->den <= 0 || f->num < 0)
      return gw_err_set(GW_EINVAL, "fact %.80s: %lld/%lld is not a value (denominator above 0, numerator not negative)",
                        f->name, (long long)f->num, (long long)f->den);
    for (size_t j = 0; j < i; j++)
      if (strcmp(sj->facts[j].name, f->name) == 0)
        return gw_err_set(GW_EINVAL, "fact %.80s is given twice", f->name);
  }
  return GW_OK;
}

static bool check_listed(const struct r_key *k, const char *check)
{
  if (k->checks.n == 0 || (check && strcmp(check, "manual") == 0))
    return true;
  for (size_t i = 0; check && i < k->checks.n; i++)
    if (strcmp(k->checks.v[i], check) == 0)
      return true;
  return false;
}

void gw_score_sheet_free(struct gw_score_sheet **ps)
{
  struct gw_score_sheet *s = ps ? *ps : NULL;
  if (!s)
    return;
  free(s->rules_id);
  free(s->rules_title);
  free(s->rules_basis);
  free(s->rules_chain);
  free(s->subject);
  free(s->platform);
  for (size_t i = 0; i < s->n_vetoes; i++) {
    for (size_t c = 0; c < s->vetoes[i].n_conds; c++) {
      free(s->vetoes[i].conds[c].id);
      free(s->vetoes[i].conds[c].desc);
      free(s->vetoes[i].conds[c].findings);
    }
    free(s->vetoes[i].conds);
    free(s->vetoes[i].id);
    free(s->vetoes[i].name);
  }
  free(s->vetoes);
  for (size_t i = 0; i < s->n_indicators; i++) {
    for (size_t j = 0; j < s->indicators[i].n_items; j++) {
      free(s->indicators[i].items[j].id);
      free(s->indicators[i].items[j].name);
      free(s->indicators[i].items[j].lines);
    }
    free(s->indicators[i].items);
    free(s->indicators[i].id);
    free(s->indicators[i].name);
  }
  free(s->indicators);
  for (size_t i = 0; i < s->n_bonus_items; i++) {
    for (size_t c = 0; c < s->bonus_items[i].n_conds; c++) {
      free(s->bonus_items[i].conds[c].id);
      free(s->bonus_items[i].conds[c].desc);
      free(s->bonus_items[i].conds[c].findings);
    }
    free(s->bonus_items[i].conds);
    free(s->bonus_items[i].id);
    free(s->bonus_items[i].name);
  }
  free(s->bonus_items);
  free(s->reason);
  for (size_t i = 0; i < s->n_findings; i++) {
    struct gw_sheet_finding *f = &s->findings[i];
    free(f->check);
    free(f->rule);
    free(f->title);
    free(f->url);
    free(f->target);
    free(f->detail);
    free(f->item);
  }
  free(s->findings);
  free(s);
  *ps = NULL;
}

static int score(const struct gw_rules *r, const struct r_scheme *sc, const struct subj *sj,
                 const struct gw_finding *f, size_t n, int64_t as_of, struct gw_score_sheet **out)
{
  int rc = GW_OK;
  if (!sc->present)
    return gw_err_set(GW_EINVAL, "rule set %s has no %s part", r->id, sj->media ? "media" : "website");
  if ((rc = fact_check(r, sj)))
    return rc;

  struct gw_score_sheet *s = gw_calloc(1, sizeof *s);
  struct fw *w = gw_calloc(n + 1, sizeof *w);
  size_t *order = gw_calloc(n + 1, sizeof *order);
  struct ctx x = {r, sc, sj, f, n, w, order, s};

  s->rules_id = gw_strdup(r->id);
  s->rules_title = gw_strdup(r->title);
  s->rules_basis = gw_strdup(r->basis);
  struct gw_buf chain = GW_BUF_INIT;
  for (size_t i = 0; i < r->chain.n; i++)
    gw_buf_printf(&chain, "%s%s", i ? " > " : "", r->chain.v[i]);
  s->rules_chain = gw_buf_steal(&chain);
  s->media = sj->media;
  s->subject_id = sj->id;
  s->subject = gw_strdup(sj->name ? sj->name : "");
  s->platform = dup0(sj->platform);
  s->portal = sj->portal;
  s->external_service = sj->ext;
  s->as_of = as_of;
  s->window_start = sj->window_start;
  s->window_end = sj->window_end;
  s->findings = gw_calloc(n + 1, sizeof *s->findings);
  s->n_findings = n;

  for (size_t i = 0; i < n; i++) {
    const struct gw_finding *fi = &f[i];
    struct gw_sheet_finding *sf = &s->findings[i];
    sf->index = i;
    gw_finding_fingerprint(fi, sf->fingerprint);
    sf->check = dup0(fi->check);
    sf->rule = dup0(fi->rule);
    sf->title = dup0(fi->title);
    sf->url = dup0(fi->url);
    sf->target = dup0(fi->target);
    sf->detail = dup0(fi->detail);
    sf->related = SIZE_MAX;
    w[i].key = SIZE_MAX;
    w[i].flat = SIZE_MAX;
    order[i] = i;
    int64_t owner_id = sj->media ? fi->account_id : fi->site_id;
    if (sj->id && owner_id != sj->id) {
      rc = gw_err_set(GW_EINVAL, "finding %zu (check %s, %s): %s id %lld is not the scored %s %lld", i,
                      fi->check ? fi->check : "?", sf->fingerprint, sj->media ? "account" : "site",
                      (long long)owner_id, sj->media ? "account" : "site", (long long)sj->id);
      goto out;
    }
    if (fi->severity == GW_SEV_WARN || fi->severity == GW_SEV_INFO) {
      sf->status = GW_FS_NOT_SCORED;
      continue;
    }
    if (fi->severity != GW_SEV_VETO && fi->severity != GW_SEV_DEDUCT) {
      rc = gw_err_set(GW_EINVAL, "finding %zu (check %s, %s): severity %d is not valid", i,
                      fi->check ? fi->check : "?", sf->fingerprint, (int)fi->severity);
      goto out;
    }
    size_t key = fi->rule ? gw_rules_key_index_(r, fi->rule) : SIZE_MAX;
    if (key == SIZE_MAX) {
      rc = gw_err_set(GW_EINVAL, "finding %zu (check %s, %s): rule key '%.80s' is not in rule set %s", i,
                      fi->check ? fi->check : "?", sf->fingerprint, fi->rule ? fi->rule : "(none)", r->id);
      goto out;
    }
    if (!check_listed(&r->keys[key], fi->check)) {
      struct gw_buf l = GW_BUF_INIT;
      for (size_t c = 0; c < r->keys[key].checks.n; c++)
        gw_buf_printf(&l, "%s%s", c ? ", " : "", r->keys[key].checks.v[c]);
      rc = gw_err_set(GW_EINVAL, "finding %zu (%s): check '%s' does not emit rule key '%s' (rule set %s lists: %s)",
                      i, sf->fingerprint, fi->check ? fi->check : "(none)", fi->rule, r->id, gw_buf_cstr(&l));
      gw_buf_free(&l);
      goto out;
    }
    w[i].key = key;
    if (fi->observed_at > as_of) {
      sf->status = GW_FS_AFTER_AS_OF;
      continue;
    }
    if (fi->needs_review) {
      sf->status = GW_FS_PENDING;
      s->n_pending++;
      continue;
    }
    w[i].eligible = true;
    if (fi->target && *fi->target) {
      w[i].obj = gw_strdup(fi->target);
    } else {
      /* no object named: the finding's identity is its object */
      w[i].obj = gw_malloc(17 + 3);
      snprintf(w[i].obj, 20, "#%s", sf->fingerprint);
    }
  }
  struct ord *ov = gw_calloc(n + 1, sizeof *ov);
  for (size_t i = 0; i < n; i++)
    ov[i] = (struct ord){s->findings[i].fingerprint, s->findings[i].rule ? s->findings[i].rule : "", i};
  qsort(ov, n, sizeof *ov, ord_cmp);
  for (size_t i = 0; i < n; i++)
    order[i] = ov[i].i;
  free(ov);

  score_vetoes(&x);
  if (s->vetoed) {
    s->result = GW_RESULT_FAIL;
    if (sc->veto_score >= 0) {
      s->has_score = true;
      s->final = sc->veto_score;
    }
  } else {
    bool undetermined = false;
    for (size_t i = 0; i < s->n_vetoes; i++)
      undetermined |= s->vetoes[i].undetermined;
    if (sc->ded.present) {
      score_deductions(&x);
      s->result = cmp_score(s, s->fail_below) < 0 ? GW_RESULT_FAIL : GW_RESULT_PASS;
      s->has_score = true;
      s->final = s->score;
    } else {
      s->result = GW_RESULT_PASS;
    }
    if (s->result == GW_RESULT_PASS && undetermined)
      s->result = GW_RESULT_UNDETERMINED;
    if (sc->bonus.present && s->scored) {
      score_bonus(&x);
      s->final += s->bonus;
    }
    for (size_t i = 0; i < n; i++)
      if (w[i].eligible && s->findings[i].status == 0)
        s->findings[i].status = GW_FS_UNUSED;
  }
  s->reason = gw_sheet_reason_(s);

out:
  for (size_t i = 0; i < n; i++)
    free(w[i].obj);
  free(w);
  free(order);
  if (rc) {
    gw_score_sheet_free(&s);
    return rc;
  }
  *out = s;
  return GW_OK;
}

int gw_score_site(const struct gw_rules *rules, const struct gw_site_facts *facts, const struct gw_finding *findings,
                  size_t n, int64_t as_of, struct gw_score_sheet **out)
{
  struct subj sj = {false, facts->portal, facts->external_service, facts->site_id, facts->name, NULL,
                    facts->window_start, facts->window_end, facts->facts, facts->n_facts, false, NULL, 0};
  return score(rules, &rules->website, &sj, findings, n, as_of, out);
}

int gw_score_account(const struct gw_rules *rules, const struct gw_account_facts *facts,
                     const struct gw_finding *findings, size_t n, int64_t as_of, struct gw_score_sheet **out)
{
  struct subj sj = {true, false, true, facts->account_id, facts->name, facts->platform,
                    facts->window_start, facts->window_end, facts->facts, facts->n_facts,
                    facts->judged != NULL, facts->judged, facts->n_judged};
  return score(rules, &rules->media, &sj, findings, n, as_of, out);
}
