/* The score sheet as JSON (jansson), for the API and exports. Keys are
 * English; names, labels and the reason are the Chinese of the rule set. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/utf8.h"
#include "rules/rules_int.h"
#include "rules/score.h"

/* Hundredths as a JSON number: exact to two decimals once dumped with
 * JSON_REAL_PRECISION(15) (integers stay integers). */
static json_t *pts(int64_t cents)
{
  if (cents % 100 == 0)
    return json_integer(cents / 100);
  return json_real((double)cents / 100.0);
}

/* A JSON string; jansson refuses invalid UTF-8 (and would drop the field),
 * so a finding text with stray bytes gets U+FFFD for each bad sequence. */
static json_t *jstr(const char *s)
{
  size_t len = strlen(s);
  if (gw_utf8_valid(s, len))
    return json_string(s);
  struct gw_buf b = GW_BUF_INIT;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = gw_utf8_decode(s + i, len - i, &cp);
    if (n == 0) {
      gw_buf_puts(&b, "\xEF\xBF\xBD");
      i++;
    } else {
      gw_buf_append(&b, s + i, n);
      i += n;
    }
  }
  json_t *v = json_string(gw_buf_cstr(&b));
  gw_buf_free(&b);
  return v;
}

static json_t *str_or_null(const char *s)
{
  return s ? jstr(s) : json_null();
}

static json_t *time_or_null(int64_t t)
{
  char buf[40];
  return t ? json_string(gw_time_format_iso(t, buf, sizeof buf)) : json_null();
}

static json_t *cond_json(const struct gw_sheet_cond *c)
{
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(c->id));
  json_object_set_new(o, "description", json_string(c->desc));
  json_object_set_new(o, "kind", json_string(c->fact ? "fact" : "count"));
  json_object_set_new(o, "hit", json_boolean(c->hit));
  json_object_set_new(o, "undetermined", json_boolean(c->undetermined));
  json_object_set_new(o, "uncertain", json_boolean(c->uncertain));
  if (c->fact) {
    json_object_set_new(o, "value", c->fact_given ? json_pack("{sIsI}", "num", (json_int_t)c->num, "den",
                                                              (json_int_t)c->den)
                                                  : json_null());
    char t[48];
    json_object_set_new(o, "at_least", json_string(gw_rules_fmt_e4_(c->thr_e4, c->thr_percent, t, sizeof t)));
    if (c->min_sample)
      json_object_set_new(o, "min_sample", json_integer(c->min_sample));
  } else {
    json_object_set_new(o, "count", json_integer(c->count));
    json_object_set_new(o, "at_least", json_integer(c->at_least));
    json_object_set_new(o, "unreadable", json_integer((json_int_t)c->unreadable));
    json_t *fs = json_array();
    for (size_t k = 0; k < c->n_findings; k++)
      json_array_append_new(fs, json_integer((json_int_t)c->findings[k]));
    json_object_set_new(o, "findings", fs);
  }
  return o;
}

static json_t *conds_json(const struct gw_sheet_cond *c, size_t n)
{
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, cond_json(&c[i]));
  return a;
}

json_t *gw_score_sheet_to_json(const struct gw_score_sheet *s)
{
  json_t *o = json_object();
  json_object_set_new(o, "rules", json_pack("{ssssssss}", "id", s->rules_id, "title", s->rules_title, "basis",
                                            s->rules_basis, "chain", s->rules_chain));
  json_t *subj = json_object();
  json_object_set_new(subj, "kind", json_string(s->media ? "account" : "website"));
  json_object_set_new(subj, "id", json_integer(s->subject_id));
  json_object_set_new(subj, "name", json_string(s->subject));
  if (s->media) {
    json_object_set_new(subj, "platform", str_or_null(s->platform));
  } else {
    json_object_set_new(subj, "portal", json_boolean(s->portal));
    json_object_set_new(subj, "external_service", json_boolean(s->external_service));
  }
  json_object_set_new(o, "subject", subj);
  json_object_set_new(o, "as_of", time_or_null(s->as_of));
  json_object_set_new(o, "window", json_pack("{soso}", "start", time_or_null(s->window_start), "end",
                                             time_or_null(s->window_end)));
  json_object_set_new(o, "result", json_string(gw_score_result_key(s->result)));
  json_object_set_new(o, "result_label", json_string(gw_score_result_label(s->result)));
  json_object_set_new(o, "reason", json_string(s->reason));
  json_object_set_new(o, "score", s->has_score ? pts(s->final) : json_null());
  json_object_set_new(o, "uses_uncertain", json_boolean(s->uses_uncertain));

  json_t *vetoes = json_array();
  for (size_t i = 0; i < s->n_vetoes; i++) {
    const struct gw_sheet_veto *v = &s->vetoes[i];
    json_t *vo = json_object();
    json_object_set_new(vo, "id", json_string(v->id));
    json_object_set_new(vo, "name", json_string(v->name));
    json_object_set_new(vo, "applicable", json_boolean(v->applicable));
    json_object_set_new(vo, "hit", json_boolean(v->hit));
    json_object_set_new(vo, "undetermined", json_boolean(v->undetermined));
    json_object_set_new(vo, "uncertain", json_boolean(v->uncertain));
    json_object_set_new(vo, "conditions", conds_json(v->conds, v->n_conds));
    json_array_append_new(vetoes, vo);
  }
  json_object_set_new(o, "vetoed", json_boolean(s->vetoed));
  json_object_set_new(o, "vetoes", vetoes);

  if (s->scored) {
    json_t *d = json_object();
    json_object_set_new(d, "total", pts(s->total));
    json_object_set_new(d, "fail_below", pts(s->fail_below));
    static const char *const adj[] = {"none", "scale", "spread"};
    json_object_set_new(d, "adjust", json_string(adj[s->adjust]));
    json_object_set_new(d, "skipped_points", pts(s->skipped_points));
    json_object_set_new(d, "raw", pts(s->raw));
    json_object_set_new(d, "score", pts(s->score));
    json_t *inds = json_array();
    for (size_t i = 0; i < s->n_indicators; i++) {
      const struct gw_sheet_indicator *in = &s->indicators[i];
      json_t *io = json_object();
      json_object_set_new(io, "id", json_string(in->id));
      json_object_set_new(io, "name", json_string(in->name));
      json_object_set_new(io, "skipped", json_boolean(in->skipped));
      json_object_set_new(io, "uncertain", json_boolean(in->uncertain));
      json_object_set_new(io, "points", pts(in->points));
      json_object_set_new(io, "effective_points", pts(in->effective));
      json_object_set_new(io, "items_deducted", pts(in->items_sum));
      json_object_set_new(io, "deducted", pts(in->deducted));
      json_object_set_new(io, "score", pts(in->score));
      json_t *items = json_array();
      for (size_t j = 0; j < in->n_items; j++) {
        const struct gw_sheet_item *it = &in->items[j];
        json_t *jo = json_object();
        json_object_set_new(jo, "id", json_string(it->id));
        json_object_set_new(jo, "name", json_string(it->name));
        json_object_set_new(jo, "per_finding", pts(it->per_finding));
        json_object_set_new(jo, "cap", it->cap >= 0 ? pts(it->cap) : json_null());
        json_object_set_new(jo, "uncertain", json_boolean(it->uncertain));
        json_object_set_new(jo, "sum", pts(it->sum));
        json_object_set_new(jo, "deducted", pts(it->deducted));
        json_t *lines = json_array();
        for (size_t k = 0; k < it->n_lines; k++)
          json_array_append_new(lines, json_pack("{sIsosb}", "finding", (json_int_t)it->lines[k].finding, "amount",
                                                 pts(it->lines[k].amount), "capped", it->lines[k].capped));
        json_object_set_new(jo, "lines", lines);
        json_array_append_new(items, jo);
      }
      json_object_set_new(io, "items", items);
      json_array_append_new(inds, io);
    }
    json_object_set_new(d, "indicators", inds);
    json_object_set_new(o, "deduction", d);
  } else {
    json_object_set_new(o, "deduction", json_null());
  }

  if (s->bonus_present && s->scored) {
    json_t *b = json_object();
    json_object_set_new(b, "total", pts(s->bonus_total));
    json_object_set_new(b, s->bonus_entry_strict ? "entry_above" : "entry_at_least", pts(s->bonus_entry));
    json_object_set_new(b, "applicable", json_boolean(s->bonus_applicable));
    json_object_set_new(b, "entered", json_boolean(s->bonus_entered));
    json_t *items = json_array();
    for (size_t i = 0; i < s->n_bonus_items; i++) {
      const struct gw_sheet_bonus_item *it = &s->bonus_items[i];
      json_t *io = json_object();
      json_object_set_new(io, "id", json_string(it->id));
      json_object_set_new(io, "name", json_string(it->name));
      json_object_set_new(io, "points", pts(it->points));
      json_object_set_new(io, "awarded", json_boolean(it->awarded));
      json_object_set_new(io, "undetermined", json_boolean(it->undetermined));
      json_object_set_new(io, "uncertain", json_boolean(it->uncertain));
      json_object_set_new(io, "conditions", conds_json(it->conds, it->n_conds));
      json_array_append_new(items, io);
    }
    json_object_set_new(b, "items", items);
    json_object_set_new(b, "sum", pts(s->bonus_sum));
    json_object_set_new(b, "bonus", pts(s->bonus));
    json_object_set_new(o, "bonus", b);
  } else {
    json_object_set_new(o, "bonus", json_null());
  }

  json_t *fs = json_array();
  for (size_t i = 0; i < s->n_findings; i++) {
    const struct gw_sheet_finding *f = &s->findings[i];
    json_t *fo = json_object();
    json_object_set_new(fo, "index", json_integer((json_int_t)f->index));
    json_object_set_new(fo, "fingerprint", json_string(f->fingerprint));
    json_object_set_new(fo, "check", str_or_null(f->check));
    json_object_set_new(fo, "rule", str_or_null(f->rule));
    json_object_set_new(fo, "title", str_or_null(f->title));
    json_object_set_new(fo, "url", str_or_null(f->url));
    json_object_set_new(fo, "target", str_or_null(f->target));
    json_object_set_new(fo, "detail", str_or_null(f->detail));
    json_object_set_new(fo, "status", json_string(gw_sheet_status_key(f->status)));
    json_object_set_new(fo, "status_label", json_string(gw_sheet_status_label(f->status)));
    json_object_set_new(fo, "item", str_or_null(f->item));
    json_object_set_new(fo, "amount", f->status == GW_FS_DEDUCTED ? pts(f->amount) : json_null());
    json_object_set_new(fo, "related", f->related != SIZE_MAX ? json_integer((json_int_t)f->related) : json_null());
    json_array_append_new(fs, fo);
  }
  json_object_set_new(o, "findings", fs);
  json_object_set_new(o, "pending", json_integer((json_int_t)s->n_pending));
  return o;
}

char *gw_score_sheet_json(const struct gw_score_sheet *s)
{
  json_t *o = gw_score_sheet_to_json(s);
  char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
  json_decref(o);
  if (!text)
    abort(); /* jansson fails only when out of memory */
  char *out = gw_strdup(text);
  free(text);
  return out;
}
