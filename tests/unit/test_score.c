/* Scoring: every rule shape and edge with exact numbers (hundredths), on a
 * small rule set made for exact arithmetic and on the shipped national set
 * and profiles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "rules/rules.h"
#include "rules/score.h"
#include "tap.h"

static const char *const S_RULES =
  "format: 1\n"
  "id: s\n"
  "title: 评分测试\n"
  "rule_keys:\n"
  "  v.any: {label: 否决问题}\n"
  "  v.count: {label: 计数问题}\n"
  "  a.ten: {label: 十分问题}\n"
  "  b.tenth: {label: 零点一分问题}\n"
  "  c.cap: {label: 封顶问题}\n"
  "  c.dup: {label: 被取代问题}\n"
  "  s.svc: {label: 服务问题}\n"
  "  g.where: {label: 观测问题}\n"
  "  m.veto: {label: 新媒体否决}\n"
  "  x.bonus: {label: 加分依据}\n"
  "  x.none: {label: 不计分}\n"
  "  chk.only: {label: 限定检查, checks: [chk.one]}\n"
  "facts:\n"
  "  avail: {label: 失败率}\n"
  "  bonus.n: {label: 次数}\n"
  "website:\n"
  "  vetoes:\n"
  "    - id: V1\n"
  "      name: 一票否决\n"
  "      any:\n"
  "        - {id: \"1\", keys: [v.any, chk.only]}\n"
  "    - id: V2\n"
  "      name: 无法访问\n"
  "      any:\n"
  "        - {id: \"1\", fact: avail, at_least: 5%, min_sample: 140}\n"
  "    - id: V4\n"
  "      name: 栏目\n"
  "      any:\n"
  "        - {id: \"1\", keys: [v.count, c.dup], at_least: 5}\n"
  "        - {id: \"2\", keys: [g.where], where: {field: missing, at_least: 4}, at_least: 2}\n"
  "    - id: V6\n"
  "      name: 服务\n"
  "      requires: [external_service]\n"
  "      any:\n"
  "        - {id: \"1\", keys: [s.svc], at_least: 3}\n"
  "  deduction:\n"
  "    total: 100\n"
  "    fail_below: 60\n"
  "    no_external_service: {method: scale, skip: [svc]}\n"
  "    indicators:\n"
  "      - id: big\n"
  "        name: 大指标\n"
  "        points: 50\n"
  "        items:\n"
  "          - {id: a, name: 十分项, keys: [a.ten], per_finding: 10}\n"
  "      - id: small\n"
  "        name: 小指标\n"
  "        points: 25\n"
  "        items:\n"
  "          - {id: b, name: 零点一项, keys: [b.tenth], per_finding: 0.1, cap: 20}\n"
  "          - {id: c, name: 封顶项, keys: [c.cap], per_finding: 2, cap: 5, supersedes: [c.dup]}\n"
  "          - {id: d, name: 被取代项, keys: [c.dup], per_finding: 1, supersedes: [b.tenth]}\n"
  "      - id: svc\n"
  "        name: 办事\n"
  "        points: 25\n"
  "        items:\n"
  "          - {id: e, name: 服务项, keys: [s.svc], per_finding: 3}\n"
  "  bonus:\n"
  "    total: 30\n"
  "    requires: [portal]\n"
  "    entry_above: 80\n"
  "    items:\n"
  "      - {id: b1, name: 次数, points: 20, any: [{id: \"1\", fact: bonus.n, at_least: 6}]}\n"
  "      - {id: b2, name: 依据, points: 15, any: [{id: \"1\", keys: [x.bonus]}]}\n"
  "media:\n"
  "  vetoes:\n"
  "    - id: M1\n"
  "      name: 新媒体\n"
  "      any: [{id: \"1\", keys: [m.veto]}]\n";

static const int64_t AS_OF = 1743393600; /* 2025-03-31 12:00 +08 */

static struct gw_rules *load_s(const char *profile)
{
  struct gw_rules *r = NULL;
  struct gw_rules_doc d[2] = {{"rules/s.yaml", S_RULES, strlen(S_RULES)}, {"rules/s.yaml", S_RULES, strlen(S_RULES)}};
  if (profile) {
    d[0] = (struct gw_rules_doc){"rules/profiles/p.yaml", profile, strlen(profile)};
    d[1] = (struct gw_rules_doc){"rules/s.yaml", S_RULES, strlen(S_RULES)};
  }
  if (gw_rules_parse(d, profile ? 2 : 1, NULL, &r) != GW_OK) {
    fprintf(stderr, "rules: %s\n", gw_err_msg());
    abort();
  }
  return r;
}

static struct gw_rules *load_file(const char *rel)
{
  const char *src = getenv("GW_SRC");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", src && *src ? src : "..", rel);
  struct gw_rules *r = NULL;
  if (gw_rules_load(path, NULL, &r) != GW_OK) {
    fprintf(stderr, "rules: %s\n", gw_err_msg());
    abort();
  }
  return r;
}

/* A growing list of findings; strings are kept alive in `keep`. */
struct fl {
  struct gw_finding v[2048];
  size_t n;
  char *keep[8192];
  size_t nk;
};

static char *kept(struct fl *l, const char *s)
{
  if (!s)
    return NULL;
  char *d = gw_strdup(s);
  l->keep[l->nk++] = d;
  return d;
}

static struct gw_finding *add(struct fl *l, const char *check, const char *rule, const char *target)
{
  struct gw_finding *f = &l->v[l->n];
  memset(f, 0, sizeof *f);
  f->check = check;
  f->rule = kept(l, rule);
  f->severity = GW_SEV_DEDUCT;
  f->site_id = 7;
  char key[64];
  snprintf(key, sizeof key, "k%zu", l->n);
  f->key = kept(l, key);
  f->target = kept(l, target);
  f->url = kept(l, "http://www.example.gov.cn/");
  char title[64];
  snprintf(title, sizeof title, "问题%zu", l->n);
  f->title = kept(l, title);
  f->observed_at = AS_OF - 3600;
  l->n++;
  return f;
}

/* n findings of `rule`, each with its own target */
static void add_n(struct fl *l, const char *rule, int n)
{
  for (int i = 0; i < n; i++) {
    char t[96];
    snprintf(t, sizeof t, "http://www.example.gov.cn/%s/%d", rule, i);
    add(l, "chk", rule, t);
  }
}

static void fl_free(struct fl *l)
{
  for (size_t i = 0; i < l->nk; i++)
    free(l->keep[i]);
  l->nk = l->n = 0;
}

static struct gw_fact AVAIL_OK = {"avail", 0, 140};

static struct gw_score_sheet *site(const struct gw_rules *r, struct fl *l, bool portal, bool ext, const struct gw_fact *facts,
                                   size_t nf)
{
  struct gw_site_facts sf = {7, "测试网站", portal, ext, 0, 0, facts, nf};
  struct gw_score_sheet *s = NULL;
  int rc = gw_score_site(r, &sf, l->v, l->n, AS_OF, &s);
  CHECK_MSG(rc == GW_OK, "score: %s", gw_err_msg());
  return s;
}

static const struct gw_sheet_item *item(const struct gw_score_sheet *s, const char *id)
{
  for (size_t i = 0; i < s->n_indicators; i++)
    for (size_t j = 0; j < s->indicators[i].n_items; j++)
      if (strcmp(s->indicators[i].items[j].id, id) == 0)
        return &s->indicators[i].items[j];
  return NULL;
}

static const struct gw_sheet_indicator *ind(const struct gw_score_sheet *s, const char *id)
{
  for (size_t i = 0; i < s->n_indicators; i++)
    if (strcmp(s->indicators[i].id, id) == 0)
      return &s->indicators[i];
  return NULL;
}

static const struct gw_sheet_veto *veto(const struct gw_score_sheet *s, const char *id)
{
  for (size_t i = 0; i < s->n_vetoes; i++)
    if (strcmp(s->vetoes[i].id, id) == 0)
      return &s->vetoes[i];
  return NULL;
}

/* ---- pass threshold, bonus entry, exactness --------------------------------------- */

static void test_thresholds(void)
{
  struct gw_rules *r = load_s(NULL);
  struct fl l = {0};
  /* nothing found: 100, bonus from the fact 7 >= 6 */
  struct gw_fact f2[] = {{"avail", 0, 140}, {"bonus.n", 7, 1}};
  struct gw_score_sheet *s = site(r, &l, true, true, f2, 2);
  CHECK_INT(s->result, GW_RESULT_PASS);
  CHECK_INT(s->score, 10000);
  CHECK(s->bonus_entered);
  CHECK_INT(s->bonus, 2000);
  CHECK_INT(s->final, 12000);
  CHECK_STR(s->reason, "未触发单项否决；扣分部分得分 100，不低于 60 分；高于 80 分，计加分 20，总得分 120。");
  gw_score_sheet_free(&s);
  CHECK(s == NULL);

  /* exactly 60 passes */
  add_n(&l, "a.ten", 4);
  s = site(r, &l, true, true, &AVAIL_OK, 1);
  CHECK_INT(s->score, 6000);
  CHECK_INT(s->result, GW_RESULT_PASS);
  CHECK(!s->bonus_entered);
  CHECK_INT(s->final, 6000);
  CHECK_STR(s->reason, "未触发单项否决；扣分部分得分 60，不低于 60 分；未高于 80 分，不计加分。");
  gw_score_sheet_free(&s);
  /* 59.9 fails */
  add_n(&l, "b.tenth", 1);
  s = site(r, &l, true, true, &AVAIL_OK, 1);
  CHECK_INT(s->score, 5990);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  CHECK_STR(s->reason, "未触发单项否决；扣分部分得分 59.9，低于 60 分。");
  CHECK(!s->bonus_entered);
  gw_score_sheet_free(&s);
  fl_free(&l);

  /* exactly 80 does not enter the bonus; 80.1 does (99 x 0.1 = 9.9 exactly) */
  add_n(&l, "a.ten", 2);
  s = site(r, &l, true, true, f2, 2);
  CHECK_INT(s->score, 8000);
  CHECK_INT(s->result, GW_RESULT_PASS);
  CHECK(s->bonus_applicable);
  CHECK(!s->bonus_entered);
  CHECK_INT(s->bonus, 0);
  CHECK_INT(s->final, 8000);
  gw_score_sheet_free(&s);
  fl_free(&l);
  add_n(&l, "a.ten", 1);
  add_n(&l, "b.tenth", 99);
  s = site(r, &l, true, true, f2, 2);
  CHECK_INT(item(s, "b")->deducted, 990);
  CHECK_INT(s->score, 8010);
  CHECK(s->bonus_entered);
  CHECK_INT(s->bonus, 2000);
  CHECK_INT(s->final, 10010);
  gw_score_sheet_free(&s);
  /* a department (not a portal) gets no bonus */
  s = site(r, &l, false, true, f2, 2);
  CHECK(!s->bonus_applicable);
  CHECK(!s->bonus_entered);
  CHECK_INT(s->final, 8010);
  CHECK_STR(s->reason, "未触发单项否决；扣分部分得分 80.1，不低于 60 分；不符合加分条件，不计加分。");
  gw_score_sheet_free(&s);
  fl_free(&l);

  /* 1000 findings of 0.1: exactly 100 x 0.1 under the cap of 20, no float drift */
  add_n(&l, "b.tenth", 1000);
  s = site(r, &l, true, true, &AVAIL_OK, 1);
  CHECK_INT(item(s, "b")->sum, 10000);
  CHECK_INT(item(s, "b")->deducted, 2000);
  CHECK_INT(ind(s, "small")->score, 500);
  CHECK_INT(s->score, 8000);
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);
}

/* ---- caps ------------------------------------------------------------------------- */

static void test_caps(void)
{
  struct gw_rules *r = load_s(NULL);
  struct fl l = {0};
  /* item cap: 2 + 2 + 1 + 0 = 5 */
  add_n(&l, "c.cap", 4);
  struct gw_score_sheet *s = site(r, &l, false, true, &AVAIL_OK, 1);
  const struct gw_sheet_item *c = item(s, "c");
  CHECK_INT(c->n_lines, 4);
  CHECK_INT(c->sum, 800);
  CHECK_INT(c->deducted, 500);
  if (c->n_lines == 4) {
    CHECK_INT(c->lines[0].amount, 200);
    CHECK(!c->lines[0].capped);
    CHECK_INT(c->lines[1].amount, 200);
    CHECK_INT(c->lines[2].amount, 100);
    CHECK(c->lines[2].capped);
    CHECK_INT(c->lines[3].amount, 0);
    CHECK(c->lines[3].capped);
  }
  CHECK_INT(s->score, 9500);
  char *text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "封顶项（每个扣 2，上限 5）：4 个，扣 5（按上限，未扣 3）");
  CHECK_CONTAINS(text, "· 扣 1（已达上限）：");
  free(text);
  gw_score_sheet_free(&s);
  fl_free(&l);

  /* indicator cap: six tens against 50 points */
  add_n(&l, "a.ten", 6);
  s = site(r, &l, false, true, &AVAIL_OK, 1);
  const struct gw_sheet_indicator *b = ind(s, "big");
  CHECK_INT(b->items_sum, 6000);
  CHECK_INT(b->deducted, 5000);
  CHECK_INT(b->score, 0);
  CHECK_INT(s->score, 5000);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "大指标（50 分）：扣 50，得 0（各项合计扣 60，以本指标分值为限）");
  free(text);
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);
}

/* ---- no double deduction ------------------------------------------------------------ */

static void test_dedupe(void)
{
  struct gw_rules *r = load_s(NULL);
  struct fl l = {0};
  /* one object X under c.cap, c.dup and b.tenth: c supersedes c.dup, d (c.dup)
   * supersedes b.tenth, so both yield to the c.cap finding */
  add(&l, "chk", "b.tenth", "X");     /* 0 */
  add(&l, "chk", "c.dup", "X");       /* 1 */
  add(&l, "chk", "c.cap", "X");       /* 2 */
  add(&l, "chk", "c.dup", "Y");       /* 3: another object: deducted */
  add(&l, "chk", "a.ten", "Z");       /* 4 */
  add(&l, "chk2", "a.ten", "Z");      /* 5: same object, same item: once */
  add(&l, "chk", "a.ten", NULL);      /* 6: no object: its identity */
  struct gw_finding *dupe = add(&l, "chk", "a.ten", NULL); /* 7: same identity as 6 */
  dupe->key = l.v[6].key;
  struct gw_score_sheet *s = site(r, &l, false, true, &AVAIL_OK, 1);
  CHECK_INT(s->findings[0].status, GW_FS_SUPERSEDED);
  CHECK_INT(s->findings[0].related, 2);
  CHECK_STR(s->findings[0].item, "c");
  CHECK_INT(s->findings[1].status, GW_FS_SUPERSEDED);
  CHECK_INT(s->findings[1].related, 2);
  CHECK_STR(s->findings[1].item, "c");
  CHECK_INT(s->findings[2].status, GW_FS_DEDUCTED);
  CHECK_INT(s->findings[2].amount, 200);
  CHECK_INT(s->findings[3].status, GW_FS_DEDUCTED);
  CHECK_INT(s->findings[3].amount, 100);
  /* of 4 and 5 the first in fingerprint order stays */
  bool four_first = strcmp(s->findings[4].fingerprint, s->findings[5].fingerprint) < 0;
  size_t kept_i = four_first ? 4 : 5, dup_i = four_first ? 5 : 4;
  CHECK_INT(s->findings[kept_i].status, GW_FS_DEDUCTED);
  CHECK_INT(s->findings[dup_i].status, GW_FS_DUPLICATE);
  CHECK_INT(s->findings[dup_i].related, kept_i);
  CHECK_INT(s->findings[6].status + s->findings[7].status, GW_FS_DEDUCTED + GW_FS_DUPLICATE);
  CHECK_INT(item(s, "a")->deducted, 2000);
  CHECK_INT(item(s, "b")->n_lines, 0);
  CHECK_INT(item(s, "c")->deducted, 200);
  CHECK_INT(item(s, "d")->deducted, 100);
  CHECK_INT(s->score, 10000 - 2000 - 300);
  char *text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "四、未计分的问题");
  CHECK_CONTAINS(text, "同一问题已在其他指标扣分（c，见 #2）：问题0");
  CHECK_CONTAINS(text, "同一对象已在本指标扣分（a，见 #");
  free(text);
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);
}

/* ---- departments without external service -------------------------------------------- */

static void test_no_external_service(void)
{
  struct gw_rules *r = load_s(NULL);
  struct fl l = {0};
  /* raw 45 of 75 -> x 100/75 = 60 exactly: passes; s.svc findings are not scored and
   * V6 (requires external service) does not apply */
  add_n(&l, "a.ten", 3);
  add_n(&l, "s.svc", 4);
  struct gw_score_sheet *s = site(r, &l, true, false, &AVAIL_OK, 1);
  CHECK_INT(s->adjust, GW_ADJ_SCALE);
  CHECK_INT(s->skipped_points, 2500);
  CHECK_INT(s->raw, 4500);
  CHECK_INT(s->score, 6000);
  CHECK_INT(s->result, GW_RESULT_PASS);
  CHECK(!veto(s, "V6")->applicable);
  CHECK(!veto(s, "V6")->hit);
  CHECK(ind(s, "svc")->skipped);
  CHECK_INT(item(s, "e")->n_lines, 0);
  for (size_t i = 3; i < 7; i++)
    CHECK_INT(s->findings[i].status, GW_FS_SKIPPED_INDICATOR);
  char *text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "办事（25 分）：无对外服务职能，不计分");
  CHECK_CONTAINS(text, "无对外服务职能：其余指标得分 45（满分 75），折算为 45 × 100 ÷ 75 = 60");
  free(text);
  gw_score_sheet_free(&s);
  /* with external service the same findings count: V6 is hit */
  s = site(r, &l, true, true, &AVAIL_OK, 1);
  CHECK(veto(s, "V6")->hit);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  gw_score_sheet_free(&s);
  /* raw 44.9 -> 59.866.. -> shown 59.87, fails (compared exactly) */
  add_n(&l, "b.tenth", 1);
  s = site(r, &l, true, false, &AVAIL_OK, 1);
  CHECK_INT(s->raw, 4490);
  CHECK_INT(s->score, 5987);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  gw_score_sheet_free(&s);
  fl_free(&l);
  /* raw 60 -> 80 exactly: no bonus; raw 60.1 -> 80.13: bonus */
  struct gw_fact f2[] = {{"avail", 0, 140}, {"bonus.n", 6, 1}};
  add_n(&l, "a.ten", 1);
  add_n(&l, "b.tenth", 50);
  s = site(r, &l, true, false, f2, 2);
  CHECK_INT(s->raw, 6000);
  CHECK_INT(s->score, 8000);
  CHECK(!s->bonus_entered);
  CHECK_INT(s->final, 8000);
  gw_score_sheet_free(&s);
  fl_free(&l);
  add_n(&l, "a.ten", 1);
  add_n(&l, "b.tenth", 49);
  s = site(r, &l, true, false, f2, 2);
  CHECK_INT(s->raw, 6010);
  CHECK_INT(s->score, 8013);
  CHECK(s->bonus_entered);
  CHECK_INT(s->final, 8013 + 2000);
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);

  /* spread: the 25 points go to the two scored indicators, 12.5 each */
  r = load_s("format: 1\nid: p\nextends: s\ntitle: 分摊\n"
             "website:\n  deduction:\n    no_external_service:\n      method: spread\n");
  add_n(&l, "a.ten", 7);
  s = site(r, &l, true, false, &AVAIL_OK, 1);
  CHECK_INT(s->adjust, GW_ADJ_SPREAD);
  CHECK_INT(ind(s, "big")->effective, 6250);
  CHECK_INT(ind(s, "big")->deducted, 6250);
  CHECK_INT(ind(s, "small")->effective, 3750);
  CHECK_INT(s->score, 3750);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "大指标（50 分，分摊后 62.5 分）：扣 62.5，得 0");
  free(text);
  gw_score_sheet_free(&s);
  /* with external service nothing is spread */
  s = site(r, &l, true, true, &AVAIL_OK, 1);
  CHECK_INT(s->adjust, GW_ADJ_NONE);
  CHECK_INT(ind(s, "big")->effective, 5000);
  CHECK_INT(s->score, 5000);
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);
}

/* ---- vetoes ---------------------------------------------------------------------------- */

static void test_vetoes(void)
{
  struct gw_rules *r = load_s(NULL);
  struct fl l = {0};
  struct gw_fact f2[] = {{"avail", 0, 140}, {"bonus.n", 9, 1}};
  /* a veto stops scoring: no deductions, no bonus, no score */
  add(&l, "chk", "v.any", "http://www.example.gov.cn/bad");
  add_n(&l, "a.ten", 2);
  struct gw_score_sheet *s = site(r, &l, true, true, f2, 2);
  CHECK(s->vetoed);
  CHECK(veto(s, "V1")->hit);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  CHECK(!s->scored);
  CHECK(!s->has_score);
  CHECK_INT(s->n_indicators, 0);
  CHECK(!s->bonus_entered);
  CHECK_INT(s->findings[0].status, GW_FS_VETO);
  CHECK_STR(s->findings[0].item, "V1");
  CHECK_INT(s->findings[1].status, GW_FS_NOT_REACHED);
  CHECK_INT(s->findings[2].status, GW_FS_NOT_REACHED);
  CHECK_STR(s->reason, "触发单项否决：V1 一票否决，其他指标不再计分。");
  char *text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "结论：不合格\n");
  CHECK_CONTAINS(text, "V1 一票否决：触发\n");
  CHECK_CONTAINS(text, "条件 1：否决问题、限定检查合计 ≥ 1 个。实际 1 个，达到\n");
  CHECK_CONTAINS(text, "· 问题0　对象：http://www.example.gov.cn/bad");
  CHECK_CONTAINS(text, "二、扣分指标\n  已单项否决，不再计分。\n");
  CHECK(strstr(text, "大指标") == NULL);
  free(text);
  gw_score_sheet_free(&s);
  fl_free(&l);

  /* counts are of distinct objects: 4 + one more object = 5 hits, a repeated object does not */
  add_n(&l, "v.count", 4);
  add(&l, "chk", "c.dup", "http://www.example.gov.cn/v.count/0"); /* the same column again */
  s = site(r, &l, false, true, &AVAIL_OK, 1);
  CHECK(!veto(s, "V4")->hit);
  CHECK_INT(veto(s, "V4")->conds[0].count, 4);
  CHECK_INT(veto(s, "V4")->conds[0].n_findings, 5);
  gw_score_sheet_free(&s);
  add(&l, "chk", "c.dup", "http://www.example.gov.cn/other");
  s = site(r, &l, false, true, &AVAIL_OK, 1);
  CHECK(veto(s, "V4")->hit);
  CHECK_INT(veto(s, "V4")->conds[0].count, 5);
  CHECK_STR(s->reason, "触发单项否决：V4 栏目，其他指标不再计分。");
  gw_score_sheet_free(&s);
  fl_free(&l);

  /* an OR of conditions with a filter on an observed value */
  struct gw_finding *g = add(&l, "chk", "g.where", "G1");
  g->observed_json = kept(&l, "{\"missing\": 4}");
  g = add(&l, "chk", "g.where", "G2");
  g->observed_json = kept(&l, "{\"missing\": 3}");
  g = add(&l, "chk", "g.where", "G3");
  g->observed_json = kept(&l, "{\"other\": 9}");
  add(&l, "chk", "g.where", "G4"); /* no observed values */
  s = site(r, &l, false, true, &AVAIL_OK, 1);
  const struct gw_sheet_cond *wc = &veto(s, "V4")->conds[1];
  CHECK_INT(wc->count, 1);
  CHECK_INT(wc->unreadable, 2);
  CHECK(!veto(s, "V4")->hit);
  gw_score_sheet_free(&s);
  g = add(&l, "chk", "g.where", "G5");
  g->observed_json = kept(&l, "{\"missing\": 10}");
  s = site(r, &l, false, true, &AVAIL_OK, 1);
  CHECK(veto(s, "V4")->hit);
  CHECK(!veto(s, "V4")->conds[0].hit);
  CHECK(veto(s, "V4")->conds[1].hit);
  CHECK_INT(s->findings[0].status, GW_FS_VETO);
  CHECK_INT(s->findings[1].status, GW_FS_NOT_REACHED); /* below the filter: not a cause */
  gw_score_sheet_free(&s);
  fl_free(&l);

  /* a fact threshold: exactly 5 % hits, below does not, too few probes or no
   * data cannot decide: the result is then undetermined, not a pass */
  struct gw_fact av = {"avail", 7, 140};
  s = site(r, &l, false, true, &av, 1);
  CHECK(veto(s, "V2")->hit);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  gw_score_sheet_free(&s);
  av.num = 6;
  s = site(r, &l, false, true, &av, 1);
  CHECK(!veto(s, "V2")->hit);
  CHECK_INT(s->result, GW_RESULT_PASS);
  text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "条件 1：失败率 ≥ 5%（至少 140 次监测）。实际 6/140 = 4.29%，未达到 5%");
  free(text);
  gw_score_sheet_free(&s);
  av.num = 7;
  av.den = 139;
  s = site(r, &l, false, true, &av, 1);
  CHECK(!veto(s, "V2")->hit);
  CHECK(veto(s, "V2")->undetermined);
  CHECK_INT(s->result, GW_RESULT_UNDETERMINED);
  CHECK_INT(s->score, 10000);
  CHECK_STR(s->reason, "未触发单项否决；扣分部分得分 100，不低于 60 分；不符合加分条件，不计加分；但单项否决指标 V2 无法访问 缺少判定所需数据，结论待定。");
  gw_score_sheet_free(&s);
  s = site(r, &l, false, true, NULL, 0);
  CHECK(veto(s, "V2")->undetermined);
  CHECK_INT(s->result, GW_RESULT_UNDETERMINED);
  text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "结论：待定　得分：100");
  CHECK_CONTAINS(text, "V2 无法访问：未能判定");
  CHECK_CONTAINS(text, "缺少数据，未能判定");
  free(text);
  gw_score_sheet_free(&s);
  /* a failing score stays a failure whatever is undetermined */
  add_n(&l, "a.ten", 5);
  s = site(r, &l, false, true, NULL, 0);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);
}

/* ---- what is not scored, and the errors ------------------------------------------- */

static void test_not_scored_and_errors(void)
{
  struct gw_rules *r = load_s(NULL);
  struct fl l = {0};
  add(&l, "chk", "a.ten", "A");                       /* 0 deducted */
  add(&l, "chk", "a.ten", "B")->needs_review = true;  /* 1 pending */
  add(&l, "chk", "a.ten", "C")->observed_at = AS_OF + 1; /* 2 later inspection */
  add(&l, "chk", "a.ten", "D")->severity = GW_SEV_WARN;  /* 3 pre-warning */
  struct gw_finding *info = add(&l, "chk", "zzz.unknown", "E"); /* 4 info: its key is not checked */
  info->severity = GW_SEV_INFO;
  add(&l, "chk", "x.none", "F");                      /* 5 no item, no veto */
  add(&l, "manual", "chk.only", "G")->severity = GW_SEV_VETO; /* 6 manual findings are always accepted */
  add(&l, "chk", "v.any", "H")->needs_review = true;  /* 7 a pending veto does not veto */
  struct gw_score_sheet *s = site(r, &l, false, true, &AVAIL_OK, 1);
  CHECK(s->vetoed);
  CHECK_INT(s->findings[0].status, GW_FS_NOT_REACHED);
  CHECK_INT(s->findings[5].status, GW_FS_NOT_REACHED);
  CHECK_INT(s->findings[6].status, GW_FS_VETO);
  CHECK_INT(s->findings[7].status, GW_FS_PENDING);
  CHECK_INT(s->n_pending, 2);
  gw_score_sheet_free(&s);
  l.n = 6; /* without the manual veto and the pending one */
  s = site(r, &l, false, true, &AVAIL_OK, 1);
  CHECK(!s->vetoed);
  CHECK_INT(s->findings[0].status, GW_FS_DEDUCTED);
  CHECK_INT(s->findings[1].status, GW_FS_PENDING);
  CHECK_INT(s->findings[2].status, GW_FS_AFTER_AS_OF);
  CHECK_INT(s->findings[3].status, GW_FS_NOT_SCORED);
  CHECK_INT(s->findings[4].status, GW_FS_NOT_SCORED);
  CHECK_INT(s->findings[5].status, GW_FS_UNUSED);
  CHECK_INT(s->score, 9000);
  CHECK_STR(s->reason, "未触发单项否决；扣分部分得分 90，不低于 60 分；不符合加分条件，不计加分。另有 1 条问题待人工确认，未计入。");
  char *text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "待人工确认，暂不计分：问题1");
  CHECK_CONTAINS(text, "发现于监测时间点之后，不计入本次：问题2");
  CHECK_CONTAINS(text, "预警或提示，不计分：问题3");
  CHECK_CONTAINS(text, "本规则集不据此计分：问题5");
  free(text);
  gw_score_sheet_free(&s);
  fl_free(&l);

  /* errors name the finding; the out-param stays untouched */
  struct gw_score_sheet *sentinel = (struct gw_score_sheet *)&l;
  struct gw_site_facts sf = {7, "x", false, true, 0, 0, &AVAIL_OK, 1};
  add(&l, "chk", "a.ten", "A");
  add(&l, "chk", "nope.key", "B");
  s = sentinel;
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_EINVAL);
  char want[512];
  char fp[17];
  gw_finding_fingerprint(&l.v[1], fp);
  snprintf(want, sizeof want, "finding 1 (check chk, %s): rule key 'nope.key' is not in rule set s", fp);
  CHECK_STR(gw_err_msg(), want);
  CHECK(s == sentinel);
  l.v[1].rule = kept(&l, "chk.only");
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_EINVAL);
  snprintf(want, sizeof want, "finding 1 (%s): check 'chk' does not emit rule key 'chk.only' (rule set s lists: chk.one)", fp);
  CHECK_STR(gw_err_msg(), want);
  l.v[1].check = "chk.one";
  l.v[1].site_id = 8;
  gw_finding_fingerprint(&l.v[1], fp);
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_EINVAL);
  snprintf(want, sizeof want, "finding 1 (check chk.one, %s): site id 8 is not the scored site 7", fp);
  CHECK_STR(gw_err_msg(), want);
  l.v[1].site_id = 7;
  l.v[1].severity = 0;
  gw_finding_fingerprint(&l.v[1], fp);
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_EINVAL);
  snprintf(want, sizeof want, "finding 1 (check chk.one, %s): severity 0 is not valid", fp);
  CHECK_STR(gw_err_msg(), want);
  l.v[1].severity = GW_SEV_DEDUCT;
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_OK);
  gw_score_sheet_free(&s);
  struct gw_fact bad[] = {{"avail", 1, 0}, {"nofact", 1, 1}, {"avail", 1, 140}};
  sf.facts = &bad[0];
  s = sentinel;
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "fact avail: 1/0 is not a value (denominator above 0, numerator not negative)");
  sf.facts = &bad[1];
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "fact 'nofact' is not a fact of rule set s");
  struct gw_fact twice[] = {{"avail", 1, 140}, {"avail", 2, 140}};
  sf.facts = twice;
  sf.n_facts = 2;
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "fact avail is given twice");
  CHECK(s == sentinel);
  fl_free(&l);
  gw_rules_free(&r);
}

/* ---- bonus ----------------------------------------------------------------------------- */

static void test_bonus(void)
{
  struct gw_rules *r = load_s(NULL);
  struct fl l = {0};
  struct gw_fact f2[] = {{"avail", 0, 140}, {"bonus.n", 6, 1}};
  add(&l, "chk", "x.bonus", "evidence");
  struct gw_score_sheet *s = site(r, &l, true, true, f2, 2);
  CHECK_INT(s->n_bonus_items, 2);
  CHECK(s->bonus_items[0].awarded);
  CHECK(s->bonus_items[1].awarded);
  CHECK_INT(s->bonus_sum, 3500);
  CHECK_INT(s->bonus, 3000); /* the bonus total caps it */
  CHECK_INT(s->final, 13000);
  CHECK_INT(s->findings[0].status, GW_FS_BONUS);
  char *text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "加分合计 35，以上限 30 分计");
  free(text);
  gw_score_sheet_free(&s);
  f2[1].num = 5;
  s = site(r, &l, true, true, f2, 2);
  CHECK(!s->bonus_items[0].awarded);
  CHECK_INT(s->bonus, 1500);
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);

  /* a profile: bonus entered at >= 44, total 20 */
  r = load_s("format: 1\nid: p\nextends: s\ntitle: 入围\n"
             "website:\n  bonus:\n    entry_above: ~\n    entry_at_least: 44\n    total: 20\n");
  add_n(&l, "a.ten", 5);
  add_n(&l, "b.tenth", 60); /* 100 - 50 - 6 = 44 */
  f2[1].num = 6;
  s = site(r, &l, true, true, f2, 2);
  CHECK_INT(s->score, 4400);
  CHECK_INT(s->result, GW_RESULT_FAIL); /* below 60: no bonus even though >= 44 */
  CHECK(!s->bonus_entered);
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);
  r = load_s("format: 1\nid: p\nextends: s\ntitle: 入围\n"
             "website:\n  deduction:\n    fail_below: 40\n  bonus:\n    entry_above: ~\n    entry_at_least: 44\n"
             "    total: 20\n");
  add_n(&l, "a.ten", 5);
  add_n(&l, "b.tenth", 60);
  s = site(r, &l, true, true, f2, 2);
  CHECK_INT(s->score, 4400);
  CHECK(s->bonus_entered);
  CHECK_INT(s->bonus, 2000);
  CHECK_INT(s->final, 6400);
  CHECK_STR(s->reason, "未触发单项否决；扣分部分得分 44，不低于 40 分；不低于 44 分，计加分 20，总得分 64。");
  gw_score_sheet_free(&s);
  fl_free(&l);
  gw_rules_free(&r);
}

/* ---- order independence, determinism, JSON ---------------------------------------------- */

static void test_order_and_json(void)
{
  struct gw_rules *r = load_s(NULL);
  struct fl l = {0};
  add(&l, "chk", "b.tenth", "X");
  add(&l, "chk", "c.dup", "X");
  add(&l, "chk", "c.cap", "X");
  add_n(&l, "c.cap", 4);
  add_n(&l, "a.ten", 2);
  add(&l, "chk2", "a.ten", "http://www.example.gov.cn/a.ten/0");
  struct gw_fact f2[] = {{"avail", 0, 140}, {"bonus.n", 6, 1}};
  struct gw_score_sheet *s1 = site(r, &l, true, true, f2, 2);
  char *t1 = gw_score_sheet_text(s1);
  /* same inputs, same sheet */
  struct gw_score_sheet *s2 = site(r, &l, true, true, f2, 2);
  char *t2 = gw_score_sheet_text(s2);
  CHECK_STR(t1, t2);
  free(t2);
  gw_score_sheet_free(&s2);
  /* reversed order: every finding ends the same, the score too */
  struct fl rev = l;
  for (size_t i = 0; i < l.n; i++)
    rev.v[i] = l.v[l.n - 1 - i];
  rev.nk = 0;
  s2 = site(r, &rev, true, true, f2, 2);
  CHECK_INT(s2->final, s1->final);
  for (size_t i = 0; i < l.n; i++) {
    const struct gw_sheet_finding *a = &s1->findings[i], *b = &s2->findings[l.n - 1 - i];
    CHECK_STR(a->fingerprint, b->fingerprint);
    CHECK_INT(a->status, b->status);
    CHECK_INT(a->amount, b->amount);
  }
  gw_score_sheet_free(&s2);

  char *js = gw_score_sheet_json(s1);
  json_error_t err;
  json_t *o = json_loads(js, 0, &err);
  CHECK_MSG(o != NULL, "JSON parses: %s", err.text);
  if (o) {
    CHECK_STR(json_string_value(json_object_get(o, "result")), "pass");
    CHECK_STR(json_string_value(json_object_get(o, "result_label")), "合格");
    CHECK(json_is_number(json_object_get(o, "score")));
    CHECK_INT((int64_t)(json_number_value(json_object_get(o, "score")) * 100 + 0.5), s1->final);
    json_t *ded = json_object_get(o, "deduction");
    CHECK_INT(json_array_size(json_object_get(ded, "indicators")), 3);
    json_t *small = json_array_get(json_object_get(ded, "indicators"), 1);
    CHECK_STR(json_string_value(json_object_get(small, "id")), "small");
    json_t *c = json_array_get(json_object_get(small, "items"), 1);
    CHECK_STR(json_string_value(json_object_get(c, "id")), "c");
    CHECK_INT(json_integer_value(json_object_get(c, "deducted")), 5);
    CHECK_INT(json_array_size(json_object_get(c, "lines")), 5);
    json_t *f0 = json_array_get(json_object_get(o, "findings"), 0);
    CHECK_STR(json_string_value(json_object_get(f0, "status")), "superseded");
    CHECK_INT(json_integer_value(json_object_get(f0, "related")), 2);
    CHECK_STR(json_string_value(json_object_get(json_object_get(o, "rules"), "id")), "s");
    CHECK(json_is_object(json_object_get(o, "bonus")));
    json_decref(o);
  }
  /* a finding text with a stray byte still reaches the JSON, the byte as U+FFFD */
  add(&l, "chk", "x.none", "bad-bytes")->title = kept(&l, "\xff坏标题");
  s2 = site(r, &l, true, true, f2, 2);
  json_t *o2 = gw_score_sheet_to_json(s2);
  json_t *last = json_array_get(json_object_get(o2, "findings"), l.n - 1);
  CHECK_STR(json_string_value(json_object_get(last, "title")), "\xEF\xBF\xBD坏标题");
  json_decref(o2);
  gw_score_sheet_free(&s2);
  /* 0.1-steps print as short decimals */
  CHECK(strstr(js, "0.10000") == NULL);
  free(js);
  free(t1);
  gw_score_sheet_free(&s1);
  fl_free(&l);
  gw_rules_free(&r);
}

/* ---- the national set and its profiles ------------------------------------------------ */

static struct gw_finding *nat(struct fl *l, const char *check, const char *rule, const char *target)
{
  struct gw_finding *f = add(l, check, rule, target);
  return f;
}

static void test_national(void)
{
  struct gw_rules *r = load_file("rules/national-2019.yaml");
  struct fl l = {0};
  struct gw_fact av[] = {{"availability.failure_share", 3, 140}, {"bonus.interviews", 8, 1}};
  /* a portal: 3 broken homepage links (one also seen on another page), 150
   * broken links elsewhere, an empty column that is also stale, one stale
   * policy column */
  nat(&l, "links.broken", "link.broken.homepage", "http://ext.example.com/a");
  nat(&l, "links.broken", "link.broken.homepage", "http://ext.example.com/b");
  nat(&l, "links.broken", "link.broken.homepage", "http://ext.example.com/c");
  nat(&l, "links.broken", "link.broken.other", "http://ext.example.com/a");
  for (int i = 0; i < 150; i++) {
    char t[64];
    snprintf(t, sizeof t, "http://www.example.gov.cn/dead/%d.html", i);
    nat(&l, "links.broken", "link.broken.other", t);
  }
  nat(&l, "columns.update", "column.empty", "http://www.example.gov.cn/col/tzgg/");
  nat(&l, "columns.update", "column.stale.dynamic", "http://www.example.gov.cn/col/tzgg/");
  nat(&l, "columns.update", "column.stale.policy_l1", "http://www.example.gov.cn/col/zcwj/");
  struct gw_site_facts sf = {7, "青溪县人民政府", true, true, 0, 0, av, 2};
  struct gw_score_sheet *s = NULL;
  CHECK_MSG(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s) == GW_OK, "%s", gw_err_msg());
  if (s) {
    CHECK(!s->vetoed);
    CHECK_INT(item(s, "link.broken.homepage")->deducted, 300);
    CHECK_INT(item(s, "link.broken.other")->n_lines, 150);
    CHECK_INT(item(s, "link.broken.other")->sum, 1500);
    CHECK_INT(item(s, "link.broken.other")->deducted, 1000);
    CHECK_INT(s->findings[3].status, GW_FS_SUPERSEDED);
    CHECK_INT(ind(s, "function")->items_sum, 1300);
    CHECK_INT(ind(s, "function")->score, 700);
    CHECK_INT(item(s, "column.empty")->deducted, 200);
    CHECK_INT(item(s, "column.stale.dynamic")->n_lines, 0);
    CHECK_INT(item(s, "column.stale.policy_l1")->deducted, 500);
    CHECK_INT(ind(s, "publish")->score, 3300);
    CHECK_INT(s->score, 10000 - 1300 - 700);
    CHECK_INT(s->result, GW_RESULT_PASS);
    CHECK_INT(s->score, 8000);
    CHECK(!s->bonus_entered); /* exactly 80: no bonus */
    gw_score_sheet_free(&s);
  }
  fl_free(&l);

  /* a department without external service: 办事服务 out, the rest x 4/3 */
  nat(&l, "links.broken", "link.broken.homepage", "http://ext.example.com/a");
  nat(&l, "service.stats", "service.stats_stale", "http://bm.example.gov.cn/bstj/");
  sf.portal = false;
  sf.external_service = false;
  CHECK_MSG(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s) == GW_OK, "%s", gw_err_msg());
  if (s) {
    CHECK_INT(s->raw, 7400);
    CHECK_INT(s->score, 9867); /* 74 x 4/3 = 98.666.. */
    CHECK_INT(s->findings[1].status, GW_FS_SKIPPED_INDICATOR);
    CHECK(!veto(s, "V6")->applicable);
    gw_score_sheet_free(&s);
  }
  fl_free(&l);

  /* V4 (3): five empty columns veto; V2 at 7/140 vetoes too; both named */
  for (int i = 0; i < 5; i++) {
    char t[64];
    snprintf(t, sizeof t, "http://www.example.gov.cn/col/%d/", i);
    nat(&l, "columns.update", "column.empty", t);
  }
  av[0].num = 7;
  sf.portal = true;
  sf.external_service = true;
  CHECK_MSG(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s) == GW_OK, "%s", gw_err_msg());
  if (s) {
    CHECK(s->vetoed);
    CHECK_STR(s->reason, "触发单项否决：V2 站点无法访问、V4 栏目不更新，其他指标不再计分。");
    CHECK(s->uses_uncertain == false); /* V2 and V4 (3) are sourced */
    gw_score_sheet_free(&s);
  }
  fl_free(&l);
  gw_rules_free(&r);
}

static void test_profiles(void)
{
  struct gw_fact av[] = {{"availability.failure_share", 0, 140},
                         {"bonus.interviews", 6, 1},
                         {"bonus.intensive_platform", 1, 1},
                         {"bonus.data_open", 1, 1},
                         {"bonus.smart_service", 1, 1},
                         {"bonus.service_integration", 1, 1}};
  struct gw_site_facts sf = {7, "青溪县人民政府", true, true, 0, 0, av, 6};
  struct gw_score_sheet *s = NULL;
  struct fl l = {0};

  /* national: five bonus items of 5 = 25 under 30 */
  struct gw_rules *r = load_file("rules/national-2019.yaml");
  CHECK_INT(gw_score_site(r, &sf, l.v, 0, AS_OF, &s), GW_OK);
  CHECK_INT(s->bonus, 2500);
  gw_score_sheet_free(&s);
  gw_rules_free(&r);
  /* 宣城: bonus total 20 */
  r = load_file("rules/profiles/xuancheng-2019.yaml");
  CHECK_INT(gw_score_site(r, &sf, l.v, 0, AS_OF, &s), GW_OK);
  CHECK_INT(s->bonus_sum, 2500);
  CHECK_INT(s->bonus, 2000);
  CHECK_INT(s->final, 12000);
  CHECK_STR(s->rules_chain, "national-2019 > xuancheng-2019");
  gw_score_sheet_free(&s);
  gw_rules_free(&r);
  /* 咸宁: fails below 80; exactly 80 passes */
  r = load_file("rules/profiles/xianning-2022.yaml");
  for (int i = 0; i < 10; i++) {
    char t[64];
    snprintf(t, sizeof t, "http://www.example.gov.cn/x/%d", i);
    nat(&l, "links.broken", "link.broken.homepage", t);
  }
  for (int i = 0; i < 10; i++) {
    char t[64];
    snprintf(t, sizeof t, "http://www.example.gov.cn/y/%d", i);
    nat(&l, "links.broken", "link.broken.other", t);
  }
  nat(&l, "search.box", "search.missing", "http://www.example.gov.cn/");
  nat(&l, "ipv6.support", "ipv6.unsupported", "www.example.gov.cn");
  nat(&l, "identity.footer", "identity.footer", "footer"); /* 10 + 1 + 3 + 2 + 1 = 17 */
  nat(&l, "interaction.reply", "interaction.replies_stale", "http://www.example.gov.cn/hd/"); /* 3: 80 */
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_OK);
  CHECK_INT(s->score, 8000);
  CHECK_INT(s->result, GW_RESULT_PASS);
  CHECK(!s->bonus_entered);
  gw_score_sheet_free(&s);
  nat(&l, "interpretation.link", "interpretation.unlinked", "http://www.example.gov.cn/zcjd/1");
  CHECK_INT(gw_score_site(r, &sf, l.v, l.n, AS_OF, &s), GW_OK);
  CHECK_INT(s->score, 7950);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  CHECK_STR(s->reason, "未触发单项否决；扣分部分得分 79.5，低于 80 分。");
  gw_score_sheet_free(&s);
  gw_rules_free(&r);
  fl_free(&l);

  /* 肇庆: bonus 25; no external service spreads 25 over 3 indicators
   * (8.34, 8.33, 8.33); a vetoed account gets 59 */
  r = load_file("rules/profiles/zhaoqing-2019.yaml");
  av[5].num = 1;
  struct gw_fact more[] = {{"availability.failure_share", 0, 140}, {"bonus.interviews", 6, 1},
                           {"bonus.intensive_platform", 1, 1}, {"bonus.data_open", 1, 1},
                           {"bonus.smart_service", 1, 1}, {"bonus.service_integration", 1, 1},
                           {"bonus.interpretation_innovation", 1, 1}};
  sf.facts = more;
  sf.n_facts = 7;
  CHECK_INT(gw_score_site(r, &sf, l.v, 0, AS_OF, &s), GW_OK);
  CHECK_INT(s->bonus_sum, 3000);
  CHECK_INT(s->bonus, 2500);
  gw_score_sheet_free(&s);
  sf.external_service = false;
  CHECK_INT(gw_score_site(r, &sf, l.v, 0, AS_OF, &s), GW_OK);
  CHECK_INT(s->adjust, GW_ADJ_SPREAD);
  CHECK_INT(ind(s, "publish")->effective, 4834);
  CHECK_INT(ind(s, "interaction")->effective, 2333);
  CHECK_INT(ind(s, "function")->effective, 2833);
  CHECK(ind(s, "service")->skipped);
  CHECK_INT(s->score, 10000);
  gw_score_sheet_free(&s);
  nat(&l, "media.update", "media.not_updated", "account");
  l.v[0].site_id = 0;
  l.v[0].account_id = 3;
  struct gw_account_facts af = {3, "青溪发布", "微信订阅号", 0, 0, NULL, 0, NULL, 0};
  CHECK_INT(gw_score_account(r, &af, l.v, l.n, AS_OF, &s), GW_OK);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  CHECK(s->has_score);
  CHECK_INT(s->final, 5900);
  CHECK_STR(s->reason, "触发单项否决：M2 内容不更新，其他指标不再计分，按规定计 59 分。");
  gw_score_sheet_free(&s);
  gw_rules_free(&r);

  /* national new media: veto-driven, no score */
  r = load_file("rules/national-2019.yaml");
  CHECK_INT(gw_score_account(r, &af, l.v, l.n, AS_OF, &s), GW_OK);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  CHECK(!s->has_score);
  char *text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "政务新媒体评分表\n对象：青溪发布（微信订阅号）\n");
  CHECK_CONTAINS(text, "M2 内容不更新：触发");
  free(text);
  gw_score_sheet_free(&s);
  CHECK_INT(gw_score_account(r, &af, l.v, 0, AS_OF, &s), GW_OK);
  CHECK_INT(s->result, GW_RESULT_PASS);
  CHECK(!s->has_score);
  CHECK_STR(s->reason, "未触发单项否决。");
  gw_score_sheet_free(&s);
  /* judged keys: nothing found where no check looked is not evidence, so
   * the veto items stay undetermined and the account is 待定 */
  static const char *const judged[] = {"media.uncertified", "media.duplicate", NULL};
  struct gw_account_facts aj = af;
  aj.judged = judged;
  aj.n_judged = 2;
  CHECK_INT(gw_score_account(r, &aj, l.v, 0, AS_OF, &s), GW_OK);
  CHECK_INT(s->result, GW_RESULT_UNDETERMINED);
  CHECK(s->vetoes[1].undetermined && !s->vetoes[1].hit);
  text = gw_score_sheet_text(s);
  CHECK_CONTAINS(text, "M2 内容不更新：未能判定");
  CHECK_CONTAINS(text, "本次无检查项能判定（需人工检查），未能判定");
  free(text);
  gw_score_sheet_free(&s);
  /* a finding of the unjudged key (an inspector's) decides it */
  CHECK_INT(gw_score_account(r, &aj, l.v, l.n, AS_OF, &s), GW_OK);
  CHECK_INT(s->result, GW_RESULT_FAIL);
  CHECK(s->vetoes[1].hit && !s->vetoes[1].undetermined);
  gw_score_sheet_free(&s);
  /* an account's findings must be the account's */
  l.v[0].account_id = 4;
  CHECK_INT(gw_score_account(r, &af, l.v, l.n, AS_OF, &s), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "account id 4 is not the scored account 3");
  gw_rules_free(&r);
  fl_free(&l);
}

int main(void)
{
  test_thresholds();
  test_caps();
  test_dedupe();
  test_no_external_service();
  test_vetoes();
  test_not_scored_and_errors();
  test_bonus();
  test_order_and_json();
  test_national();
  test_profiles();
  return gw_test_done();
}
