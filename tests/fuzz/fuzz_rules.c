/* Fuzz the rule-set loader (from memory) and, for rule sets it accepts, the
 * scoring and both renderings.
 *
 * Input: one rule document, or a profile and its base separated by a line
 * "---8<---" (the base is offered as "base.yaml", so a profile says
 * `extends: base`). Invariants: a failure leaves the out-param alone and
 * names one of the documents; an accepted rule set scores a site made of one
 * finding per rule key (portal or not, with and without external service)
 * and an account, with scores inside their bounds. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "rules/rules.h"
#include "rules/score.h"
#include "fuzz.h"

#define SEP "\n---8<---\n"

static void check_sheet(const struct gw_score_sheet *s)
{
  if (s->vetoed && s->result != GW_RESULT_FAIL)
    abort();
  if (s->scored) {
    if (s->score < 0 || s->score > s->total || s->raw < 0)
      abort();
    for (size_t i = 0; i < s->n_indicators; i++) {
      const struct gw_sheet_indicator *in = &s->indicators[i];
      if (in->deducted > in->effective || in->deducted < 0 || in->score < 0)
        abort();
      for (size_t j = 0; j < in->n_items; j++)
        if (in->items[j].cap >= 0 && in->items[j].deducted > in->items[j].cap)
          abort();
    }
    if (s->bonus > s->bonus_total || s->bonus < 0)
      abort();
    if (s->has_score && s->final != s->score + s->bonus)
      abort();
  }
  for (size_t i = 0; i < s->n_findings; i++)
    if (s->findings[i].status == 0)
      abort(); /* every finding is accounted for */
  char *t = gw_score_sheet_text(s);
  char *j = gw_score_sheet_json(s);
  if (!t || !j || !*t || !*j)
    abort();
  free(t);
  free(j);
}

static void score_all(const struct gw_rules *r)
{
  size_t nk = gw_rules_key_count(r), nf = gw_rules_fact_count(r);
  struct gw_finding *f = calloc(nk * 2 + 1, sizeof *f);
  struct gw_fact *facts = calloc(nf + 1, sizeof *facts);
  if (!f || !facts)
    abort();
  static char targets[2][8] = {"T", "U"};
  for (size_t i = 0; i < nk * 2; i++) {
    f[i].check = "manual";
    f[i].rule = (char *)gw_rules_key_at(r, i % nk);
    f[i].severity = i % 3 ? GW_SEV_DEDUCT : GW_SEV_VETO;
    f[i].site_id = 1;
    f[i].key = (char *)gw_rules_key_at(r, (i * 7) % nk);
    f[i].target = targets[i % 2];
    f[i].needs_review = i % 11 == 5;
    f[i].observed_json = (char *)"{\"missing_elements\": 5, \"n\": 3}";
  }
  for (size_t i = 0; i < nf; i++)
    facts[i] = (struct gw_fact){gw_rules_fact_at(r, i), (int64_t)(i % 4), (int64_t)(i % 3) + 1};
  for (int v = 0; v < 4; v++) {
    struct gw_site_facts sf = {1, "站", v & 1, (v & 2) != 0, 0, 0, facts, v == 3 ? 0 : nf};
    struct gw_score_sheet *s = NULL;
    int rc = gw_score_site(r, &sf, f, nk * 2, 100, &s);
    if (rc == GW_OK) {
      check_sheet(s);
      gw_score_sheet_free(&s);
    } else if (rc != GW_EINVAL) {
      abort();
    }
  }
  for (size_t i = 0; i < nk * 2; i++) {
    f[i].site_id = 0;
    f[i].account_id = 2;
  }
  struct gw_account_facts af = {2, "号", "微博", 0, 0, facts, nf, NULL, 0};
  struct gw_score_sheet *s = NULL;
  int rc = gw_score_account(r, &af, f, nk * 2, 100, &s);
  if (rc == GW_OK) {
    check_sheet(s);
    gw_score_sheet_free(&s);
  } else if (rc != GW_EINVAL) {
    abort();
  }
  free(f);
  free(facts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  struct gw_rules_doc docs[2] = {{"p.yaml", text, size}, {"base.yaml", NULL, 0}};
  size_t n = 1;
  size_t sep = strlen(SEP);
  for (size_t i = 0; i + sep <= size; i++) {
    if (memcmp(text + i, SEP, sep) == 0) {
      docs[0].len = i;
      docs[1].data = text + i + sep;
      docs[1].len = size - i - sep;
      n = 2;
      break;
    }
  }
  struct gw_rules *sentinel = (struct gw_rules *)&docs, *r = sentinel;
  int rc = gw_rules_parse(docs, n, NULL, &r);
  if (rc != GW_OK) {
    const char *m = gw_err_msg();
    if (r != sentinel || (strncmp(m, "p.yaml", 6) != 0 && strncmp(m, "base.yaml", 9) != 0))
      abort();
    if (rc != GW_EPARSE && rc != GW_EINVAL && rc != GW_ELIMIT && rc != GW_ENOTFOUND)
      abort();
    return 0;
  }
  if (!r || !*gw_rules_id(r) || gw_rules_chain_count(r) < 1 || gw_rules_chain_count(r) > n)
    abort();
  for (size_t i = 0; i < gw_rules_key_count(r); i++)
    if (!gw_rules_key_known(r, gw_rules_key_at(r, i)))
      abort();
  score_all(r);
  gw_rules_free(&r);
  return 0;
}
