/* The rule-set loader: the shipped rule files, every validation with its
 * exact message, profiles (merge, remove, bases, cycles) and files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "rules/rules.h"
#include "tap.h"

/* A small valid rule set; tests replace one line to break it in one way.
 * Line numbers in the expected messages are these lines' numbers. */
static const char *const MINI[] = {
  /*  1 */ "format: 1",
  /*  2 */ "id: mini",
  /*  3 */ "title: 测试规则",
  /*  4 */ "rule_keys:",
  /*  5 */ "  a.x:",
  /*  6 */ "    label: 甲问题",
  /*  7 */ "  b.y:",
  /*  8 */ "    label: 乙问题",
  /*  9 */ "  c.z:",
  /* 10 */ "    label: 丙问题",
  /* 11 */ "    checks: [chk.c]",
  /* 12 */ "facts:",
  /* 13 */ "  f.share:",
  /* 14 */ "    label: 失败率",
  /* 15 */ "website:",
  /* 16 */ "  vetoes:",
  /* 17 */ "    - id: V1",
  /* 18 */ "      name: 否决一",
  /* 19 */ "      any:",
  /* 20 */ "        - id: \"1\"",
  /* 21 */ "          keys: [a.x]",
  /* 22 */ "          at_least: 2",
  /* 23 */ "        - id: \"2\"",
  /* 24 */ "          fact: f.share",
  /* 25 */ "          at_least: 5%",
  /* 26 */ "          min_sample: 10",
  /* 27 */ "  deduction:",
  /* 28 */ "    total: 100",
  /* 29 */ "    fail_below: 60",
  /* 30 */ "    no_external_service:",
  /* 31 */ "      method: scale",
  /* 32 */ "      skip: [i2]",
  /* 33 */ "    indicators:",
  /* 34 */ "      - id: i1",
  /* 35 */ "        name: 指标一",
  /* 36 */ "        points: 60",
  /* 37 */ "        items:",
  /* 38 */ "          - id: it1",
  /* 39 */ "            name: 项一",
  /* 40 */ "            keys: [b.y]",
  /* 41 */ "            per_finding: 1",
  /* 42 */ "            cap: 5",
  /* 43 */ "      - id: i2",
  /* 44 */ "        name: 指标二",
  /* 45 */ "        points: 40",
  /* 46 */ "        items:",
  /* 47 */ "          - id: it2",
  /* 48 */ "            name: 项二",
  /* 49 */ "            keys: [c.z]",
  /* 50 */ "            per_finding: 0.5",
  /* 51 */ "            supersedes: [b.y]",
  /* 52 */ "  bonus:",
  /* 53 */ "    total: 30",
  /* 54 */ "    requires: [portal]",
  /* 55 */ "    entry_above: 80",
  /* 56 */ "    items:",
  /* 57 */ "      - id: b1",
  /* 58 */ "        name: 加分一",
  /* 59 */ "        points: 10",
  /* 60 */ "        any:",
  /* 61 */ "          - id: \"1\"",
  /* 62 */ "            fact: f.share",
  /* 63 */ "            at_least: 1",
  /* 64 */ "media:",
  /* 65 */ "  vetoes:",
  /* 66 */ "    - id: M1",
  /* 67 */ "      name: 新媒体否决",
  /* 68 */ "      any:",
  /* 69 */ "        - id: \"1\"",
  /* 70 */ "          keys: [a.x]",
  NULL,
};

/* MINI with `count` lines from `line` (1-based) replaced by `text` (several
 * lines allowed; "" deletes; line 0 changes nothing, line 71 appends). */
static char *mini_repl(int line, int count, const char *text)
{
  struct gw_buf b = GW_BUF_INIT;
  int i = 0;
  for (; MINI[i]; i++) {
    if (i + 1 == line && *text)
      gw_buf_printf(&b, "%s\n", text);
    if (i + 1 < line || i + 1 >= line + count)
      gw_buf_printf(&b, "%s\n", MINI[i]);
  }
  if (line == i + 1)
    gw_buf_printf(&b, "%s\n", text);
  return gw_buf_steal(&b);
}

static int parse1(const char *name, const char *text, const char *const *checks, struct gw_rules **out)
{
  struct gw_rules_doc d = {name, text, strlen(text)};
  return gw_rules_parse(&d, 1, checks, out);
}

static char *mini_with(int line, const char *text)
{
  return mini_repl(line, 1, text);
}

/* Expect MINI with one change to fail with exactly `msg`. */
static void bad_at(int src_line, int line, int count, const char *text, int code, const char *msg)
{
  char *doc = mini_repl(line, count, text);
  struct gw_rules *r = (struct gw_rules *)&r; /* a sentinel: failures leave it alone */
  struct gw_rules *sentinel = r;
  int rc = parse1("mini.yaml", doc, NULL, &r);
  gw_test_report(rc == code, __FILE__, src_line, "line %d '%s': code %d (want %d): %s", line, text, rc, code,
                 gw_err_msg());
  gw_test_report(strcmp(gw_err_msg(), msg) == 0, __FILE__, src_line, "message\n   got: %s\n  want: %s",
                 gw_err_msg(), msg);
  gw_test_report(r == sentinel, __FILE__, src_line, "out untouched on failure");
  if (rc == GW_OK && r != sentinel)
    gw_rules_free(&r);
  free(doc);
}
#define BAD(line, text, code, msg) bad_at(__LINE__, (line), 1, (text), (code), (msg))
#define BADN(line, count, text, code, msg) bad_at(__LINE__, (line), (count), (text), (code), (msg))

static void test_mini_valid(void)
{
  char *doc = mini_with(0, "");
  struct gw_rules *r = NULL;
  CHECK_MSG(parse1("mini.yaml", doc, NULL, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_STR(gw_rules_id(r), "mini");
    CHECK_STR(gw_rules_title(r), "测试规则");
    CHECK_STR(gw_rules_basis(r), "");
    CHECK_INT(gw_rules_chain_count(r), 1);
    CHECK_INT(gw_rules_key_count(r), 3);
    CHECK_STR(gw_rules_key_at(r, 2), "c.z");
    CHECK_STR(gw_rules_key_label(r, 2), "丙问题");
    CHECK(gw_rules_key_known(r, "b.y"));
    CHECK(!gw_rules_key_known(r, "b"));
    CHECK(!gw_rules_key_known(r, NULL));
    CHECK_INT(gw_rules_fact_count(r), 1);
    CHECK_STR(gw_rules_fact_at(r, 0), "f.share");
    CHECK_INT(gw_rules_warning_count(r), 0);
    CHECK_INT(gw_rules_uncertain_count(r), 0);
    gw_rules_free(&r);
    CHECK(r == NULL);
    gw_rules_free(&r); /* NULL-safe */
  }
  /* check ids: the caller's registry decides; "manual" is always known */
  const char *const with[] = {"chk.a", "chk.c", NULL};
  const char *const without[] = {"chk.a", NULL};
  CHECK_INT(parse1("mini.yaml", doc, with, &r), GW_OK);
  gw_rules_free(&r);
  CHECK_INT(parse1("mini.yaml", doc, without, &r), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "mini.yaml:11: rule key c.z: unknown check id 'chk.c' (the check registry has no such check)");
  free(doc);
  doc = mini_with(11, "    checks: [manual]");
  CHECK_INT(parse1("mini.yaml", doc, without, &r), GW_OK);
  gw_rules_free(&r);
  free(doc);
}

static void test_bad_values(void)
{
  /* the brief's example shape: a cap below one deduction */
  BAD(42, "            cap: 0.5", GW_EINVAL,
      "mini.yaml:42: indicator 指标一: item it1: cap 0.5 is below its per-finding deduction 1");
  BAD(41, "            per_finding: -1", GW_EINVAL,
      "mini.yaml:41: indicator 指标一: item it1: per_finding '-1' must not be negative");
  BAD(41, "            per_finding: 0.125", GW_EINVAL,
      "mini.yaml:41: indicator 指标一: item it1: per_finding '0.125' has too many decimals (points are counted in "
      "hundredths: at most two decimals)");
  BAD(41, "            per_finding: 一分", GW_EINVAL,
      "mini.yaml:41: indicator 指标一: item it1: per_finding '一分' is not a number");
  BAD(41, "            per_finding: 1e3", GW_EINVAL,
      "mini.yaml:41: indicator 指标一: item it1: per_finding '1e3' is not a number");
  BAD(41, "            per_finding: 10000000", GW_EINVAL,
      "mini.yaml:41: indicator 指标一: item it1: per_finding '10000000' is too large");
  BAD(41, "            per_finding: [1]", GW_EPARSE,
      "mini.yaml:41: indicator 指标一: item it1: 'per_finding' must be a number, not a list");
  BAD(36, "        points: -5", GW_EINVAL, "mini.yaml:36: indicator 指标一: points '-5' must not be negative");
  BAD(22, "          at_least: 0", GW_EINVAL, "mini.yaml:22: veto V1: condition 1: at_least '0' must be at least 1");
  BAD(22, "          at_least: 1.5", GW_EINVAL, "mini.yaml:22: veto V1: condition 1: at_least '1.5' must be a whole number");
  BAD(25, "          at_least: 5.123%", GW_EINVAL,
      "mini.yaml:25: veto V1: condition 2: at_least '5.123%' has too many decimals (at most four decimals, or two in a "
      "percentage)");
  BAD(25, "          at_least: -0.05", GW_EINVAL, "mini.yaml:25: veto V1: condition 2: at_least '-0.05' must not be negative");
  BAD(26, "          min_sample: 0", GW_EINVAL, "mini.yaml:26: veto V1: condition 2: min_sample '0' must be at least 1");
  BAD(29, "    fail_below: 120", GW_EINVAL, "mini.yaml:29: deduction: fail_below 120 is above the total 100; every site would fail");
  BAD(28, "    total: 0", GW_EINVAL, "mini.yaml:28: deduction: total must be above 0");
  BAD(55, "    entry_above: 120", GW_EINVAL,
      "mini.yaml:55: bonus: entry_above 120 is above the deduction total 100; no site could enter");
  BAD(2, "id: 'a b'", GW_EINVAL, "mini.yaml:2: id 'a b' must be letters, digits, '_', '-' or '.' (at most 64)");
  BAD(1, "format: 2", GW_EINVAL, "mini.yaml:1: format '2' is not supported (GovWatch reads format 1)");
  BAD(3, "title: ''", GW_EINVAL, "mini.yaml:3: 'title' must not be empty");
  BAD(63, "            at_least: many", GW_EINVAL, "mini.yaml:63: bonus: item b1: condition 1: at_least 'many' is not a number");
  BAD(54, "    requires: [portals]", GW_EINVAL, "mini.yaml:54: bonus: requires: 'portals' is not portal or external_service");
  BAD(31, "      method: stretch", GW_EINVAL, "mini.yaml:31: deduction: no_external_service: method 'stretch' is not scale or spread");
}

static void test_bad_structure(void)
{
  BAD(41, "", GW_EINVAL, "mini.yaml:38: indicator 指标一: item it1: missing 'per_finding'");
  BAD(36, "", GW_EINVAL, "mini.yaml:34: indicator 指标一: missing 'points'");
  BAD(18, "", GW_EINVAL, "mini.yaml:17: veto V1: missing 'name'");
  BAD(19, "      anyx:", GW_EINVAL,
      "mini.yaml:19: veto V1: unknown key 'anyx' in a veto item (known: id, name, requires, any, uncertain, source)");
  BAD(41, "            per_findng: 1", GW_EINVAL,
      "mini.yaml:41: indicator 指标一: item it1: unknown key 'per_findng' in an item (known: id, name, keys, per_finding, "
      "cap, supersedes, uncertain, source)");
  BAD(3, "titel: 测试", GW_EINVAL,
      "mini.yaml:3: unknown key 'titel' in a rule file (known: format, id, title, basis, rule_keys, facts, website, "
      "media)");
  BADN(37, 6, "        items: []", GW_EINVAL, "mini.yaml:37: indicator 指标一: 'items' must list at least one item");
  BADN(37, 6, "        items: {}", GW_EPARSE, "mini.yaml:37: indicator 指标一: 'items' must be a list, not a mapping");
  BADN(16, 11, "  vetoes: {V1: x}", GW_EPARSE, "mini.yaml:16: website: 'vetoes' must be a list, not a mapping");
  BAD(40, "            keys: [b.q]", GW_EINVAL, "mini.yaml:40: indicator 指标一: item it1: unknown rule key 'b.q' (not in rule_keys)");
  BAD(40, "            keys: [b.y, b.y]", GW_EINVAL, "mini.yaml:40: indicator 指标一: item it1: rule key 'b.y' is listed twice");
  BAD(40, "            keys: []", GW_EINVAL, "mini.yaml:40: indicator 指标一: item it1: 'keys' must list at least one rule key");
  BAD(21, "          keys: [a.q]", GW_EINVAL, "mini.yaml:21: veto V1: condition 1: unknown rule key 'a.q' (not in rule_keys)");
  BAD(24, "          fact: f.nope", GW_EINVAL, "mini.yaml:24: veto V1: condition 2: unknown fact 'f.nope' (not in facts)");
  BAD(24, "          keys: [b.y]\n          fact: f.share", GW_EINVAL,
      "mini.yaml:23: veto V1: condition 2: has both 'keys' and 'fact'; a condition counts findings or tests a fact");
  BAD(24, "          name: 空条件", GW_EINVAL,
      "mini.yaml:23: veto V1: condition 2: needs 'keys' (findings to count) or 'fact' (a site fact to test)");
  BAD(22, "          min_sample: 3", GW_EINVAL,
      "mini.yaml:22: veto V1: condition 1: 'min_sample' goes with 'fact', not with 'keys'");
  BAD(26, "          where: {field: n, at_least: 1}", GW_EINVAL,
      "mini.yaml:26: veto V1: condition 2: 'where' filters findings; it goes with 'keys', not with 'fact'");
  BAD(22, "          where: {field: n, at_leest: 1}", GW_EINVAL,
      "mini.yaml:22: veto V1: condition 1: where: unknown key 'at_leest' in 'where' (known: field, at_least)");
  BADN(19, 8, "      any: []", GW_EINVAL, "mini.yaml:19: veto V1: 'any' must list at least one condition");
  BAD(23, "        - id: \"1\"", GW_EINVAL, "mini.yaml:23: veto V1: duplicate condition id '1' (first at mini.yaml:20)");
  BAD(43, "      - id: i1", GW_EINVAL, "mini.yaml:43: deduction: duplicate indicator id 'i1' (first at mini.yaml:34)");
  BAD(47, "          - id: it1", GW_EINVAL,
      "mini.yaml:47: indicator 指标二: item it1: duplicate item id 'it1' (first at mini.yaml:38)");
  BAD(66, "    - id: M1\n      name: x\n      any: [{id: a, keys: [a.x]}]\n    - id: M1", GW_EINVAL,
      "mini.yaml:69: media: duplicate veto id 'M1' (first at mini.yaml:66)");
  BAD(5, "  A.X:", GW_EINVAL,
      "mini.yaml:5: rule_keys: 'A.X' is not a rule key (lower-case words of a-z, 0-9 and '_' joined by '.')");
  BAD(13, "  f..share:", GW_EINVAL,
      "mini.yaml:13: facts: 'f..share' is not a fact name (lower-case words of a-z, 0-9 and '_' joined by '.')");
  BAD(6, "    labels: 甲", GW_EINVAL, "mini.yaml:6: rule key a.x: unknown key 'labels' in a rule key (known: label, checks)");
  BADN(4, 8, "rule_keys: []", GW_EPARSE, "mini.yaml:4: 'rule_keys' must be a mapping of keys to values, not a list");
  BAD(15, "websites:", GW_EINVAL,
      "mini.yaml:15: unknown key 'websites' in a rule file (known: format, id, title, basis, rule_keys, facts, website, "
      "media)");
  BAD(59, "        points: 10\n        remove: true", GW_EINVAL,
      "mini.yaml:60: bonus: item b1: 'remove' is only for a profile deleting an entry of its base by id");
  BAD(55, "    entry_above: 80\n    entry_at_least: 70", GW_EINVAL,
      "mini.yaml:56: bonus: give entry_above or entry_at_least, not both");
  BAD(55, "", GW_EINVAL, "mini.yaml:53: bonus: missing 'entry_above' (or 'entry_at_least'): the score that enters the bonus");
  BADN(65, 6, "  vetoes: []\n  bonus: {total: 5, entry_above: 1, items: []}", GW_EINVAL,
      "mini.yaml:66: media: bonus: a bonus part needs a deduction part (it is entered by the deduction score)");
  BADN(65, 6, "  vetoes: []", GW_EINVAL, "mini.yaml:65: media: neither vetoes nor a deduction part: nothing to score");
  BAD(52, "  veto_score: 60\n  bonus:", GW_EINVAL, "mini.yaml:52: website: veto_score 60 would pass (fail_below is 60)");
}

static void test_bad_consistency(void)
{
  /* the points of the indicators make up the total (blame the total in one file) */
  BAD(36, "        points: 50", GW_EINVAL, "mini.yaml:28: deduction: the indicators' points add up to 90, not the total 100");
  /* one rule key, one deduction item */
  BAD(40, "            keys: [b.y, c.z]", GW_EINVAL,
      "mini.yaml:49: indicator 指标二: item it2: rule key 'c.z' is already deducted under item it1 (mini.yaml:38); one "
      "finding is deducted once");
  BAD(51, "            supersedes: [c.z]", GW_EINVAL, "mini.yaml:51: indicator 指标二: item it2: supersedes its own rule key 'c.z'");
  BAD(51, "            supersedes: [a.x]", GW_EINVAL,
      "mini.yaml:51: indicator 指标二: item it2: supersedes 'a.x', which no item of this part deducts");
  BAD(42, "            cap: 5\n            supersedes: [c.z]", GW_EINVAL,
      "mini.yaml:43: indicator 指标一: item it1: supersedes forms a cycle back to item it1 (through item it2)");
  BAD(32, "      skip: [i9]", GW_EINVAL, "mini.yaml:32: deduction: no_external_service: skip: 'i9' is not an indicator id of this part");
  BAD(32, "      skip: [i1, i2]", GW_EINVAL, "mini.yaml:32: deduction: no_external_service: skip leaves no points to score");
  BAD(32, "      skip: [i2, i2]", GW_EINVAL, "mini.yaml:32: deduction: no_external_service: skip: 'i2' is listed twice");
  /* uncertain values need a source; the list names this entry's values */
  BAD(42, "            cap: 5\n            uncertain: true", GW_EINVAL,
      "mini.yaml:43: indicator 指标一: item it1: uncertain values need a 'source' note saying what is known");
  BAD(42, "            cap: 5\n            uncertain: [capp]\n            source: x", GW_EINVAL,
      "mini.yaml:43: indicator 指标一: item it1: uncertain: 'capp' is not a value of this entry");
  BAD(42, "            cap: 5\n            uncertain: yes\n            source: x", GW_EINVAL,
      "mini.yaml:43: indicator 指标一: item it1: 'uncertain' must be true or false");
}

static void test_bad_yaml(void)
{
  BAD(22, "          at_least: 2\n          at_least: 3", GW_EPARSE, "mini.yaml:23: duplicate key 'at_least' (first at line 22)");
  BAD(71, "---\nformat: 1", GW_EPARSE, "mini.yaml:71: a second YAML document; a rule file is one document");
  /* an alias repeats a value: refused (it would also let a tiny file expand hugely) */
  char *doc = mini_with(41, "            per_finding: &p 1");
  char *p = strstr(doc, "per_finding: 0.5");
  memcpy(p, "per_finding: *p ", 16);
  struct gw_rules *r = NULL;
  CHECK_INT(parse1("mini.yaml", doc, NULL, &r), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "mini.yaml:41: this value is used again through an alias (*name); aliases are not supported "
                          "in rule files, write the value out");
  free(doc);
  CHECK_INT(parse1("x.yaml", "", NULL, &r), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "x.yaml:1: a rule file must be a mapping of keys to values, not empty");
  CHECK_INT(parse1("x.yaml", "- a\n- b\n", NULL, &r), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "x.yaml:1: a rule file must be a mapping of keys to values, not a list");
  CHECK_INT(parse1("x.yaml", "format: 1\nid: [x\n", NULL, &r), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "x.yaml:3: YAML syntax error: ");
  CHECK_INT(parse1("x.yaml", "format: 1\nid: \"a\\0b\"\n", NULL, &r), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "x.yaml:2: a value contains a NUL character");
  CHECK_INT(parse1("x.yaml", "format: 1\n? [a]\n: b\n", NULL, &r), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "x.yaml:2: a key must be a single word, not a list");
  CHECK_INT(parse1("x.yaml", "format: 1\nid: \xff\n", NULL, &r), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "x.yaml: byte ");
  CHECK_CONTAINS(gw_err_msg(), "(rule files must be UTF-8 text)");
  /* nesting cap */
  struct gw_buf deep = GW_BUF_INIT;
  gw_buf_puts(&deep, "format: 1\nid: x\ntitle: t\nrule_keys: ");
  for (int i = 0; i < 40; i++)
    gw_buf_putc(&deep, '[');
  for (int i = 0; i < 40; i++)
    gw_buf_putc(&deep, ']');
  gw_buf_putc(&deep, '\n');
  CHECK_INT(parse1("x.yaml", gw_buf_cstr(&deep), NULL, &r), GW_ELIMIT);
  CHECK_STR(gw_err_msg(), "x.yaml:4: values nested deeper than 32 levels");
  gw_buf_free(&deep);
  /* size cap */
  size_t big = GW_RULES_MAX_BYTES + 1;
  char *huge = gw_malloc(big);
  memset(huge, '#', big);
  struct gw_rules_doc d = {"big.yaml", huge, big};
  CHECK_INT(gw_rules_parse(&d, 1, NULL, &r), GW_ELIMIT);
  CHECK_STR(gw_err_msg(), "big.yaml: rule file is larger than 1048576 bytes");
  free(huge);
  CHECK_INT(gw_rules_parse(&d, 0, NULL, &r), GW_EINVAL);
}

static void test_warnings(void)
{
  char *doc = mini_with(42, "            cap: 70");
  struct gw_rules *r = NULL;
  CHECK_MSG(parse1("mini.yaml", doc, NULL, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_INT(gw_rules_warning_count(r), 1);
    if (gw_rules_warning_count(r) == 1)
      CHECK_STR(gw_rules_warning_at(r, 0),
                "mini.yaml:42: indicator 指标一: item it1: cap 70 is above the indicator's 60 points; the indicator's "
                "points bound it");
    gw_rules_free(&r);
  }
  free(doc);
  /* caps summing above the indicator are normal (the indicator cap applies): no warning */
  doc = mini_with(42, "            cap: 50\n          - id: it3\n            name: 项三\n            keys: [a.x]\n"
                      "            per_finding: 1\n            cap: 50");
  CHECK_MSG(parse1("mini.yaml", doc, NULL, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_INT(gw_rules_warning_count(r), 0);
    gw_rules_free(&r);
  }
  free(doc);
  doc = mini_with(59, "        points: 40");
  CHECK_MSG(parse1("mini.yaml", doc, NULL, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_INT(gw_rules_warning_count(r), 1);
    if (gw_rules_warning_count(r) == 1)
      CHECK_STR(gw_rules_warning_at(r, 0), "mini.yaml:59: bonus: item b1: points 40 are above the bonus total 30; the total bounds them");
    gw_rules_free(&r);
  }
  free(doc);
  /* uncertain values are listed with their place and source */
  doc = mini_with(42, "            cap: 5\n            uncertain: [cap]\n            source: 来源未核实");
  CHECK_MSG(parse1("mini.yaml", doc, NULL, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_INT(gw_rules_uncertain_count(r), 1);
    if (gw_rules_uncertain_count(r) == 1)
      CHECK_STR(gw_rules_uncertain_at(r, 0), "mini.yaml:42: indicator 指标一: item it1: cap = 5 (source: 来源未核实)");
    gw_rules_free(&r);
  }
  free(doc);
  doc = mini_with(42, "            cap: 5\n            uncertain: true\n            source: s");
  CHECK_MSG(parse1("mini.yaml", doc, NULL, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_INT(gw_rules_uncertain_count(r), 2);
    if (gw_rules_uncertain_count(r) == 2) {
      CHECK_STR(gw_rules_uncertain_at(r, 0), "mini.yaml:41: indicator 指标一: item it1: per_finding = 1 (source: s)");
      CHECK_STR(gw_rules_uncertain_at(r, 1), "mini.yaml:42: indicator 指标一: item it1: cap = 5 (source: s)");
    }
    gw_rules_free(&r);
  }
  free(doc);
  doc = mini_with(18, "      name: 否决一\n      uncertain: true\n      source: s");
  CHECK_MSG(parse1("mini.yaml", doc, NULL, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_INT(gw_rules_uncertain_count(r), 1);
    if (gw_rules_uncertain_count(r) == 1)
      CHECK_STR(gw_rules_uncertain_at(r, 0), "mini.yaml:17: veto V1: the whole entry (source: s)");
    gw_rules_free(&r);
  }
  free(doc);
}

/* ---- profiles --------------------------------------------------------------------- */

static int parse_profile(const char *profile, struct gw_rules **out)
{
  char *base = mini_with(0, "");
  struct gw_rules_doc d[2] = {{"rules/profiles/x.yaml", profile, strlen(profile)},
                              {"rules/mini.yaml", base, strlen(base)}};
  int rc = gw_rules_parse(d, 2, NULL, out);
  free(base);
  return rc;
}

#define PROFILE_HEAD "format: 1\nid: x\nextends: mini\ntitle: 配置\n"

static void test_profiles(void)
{
  struct gw_rules *r = NULL;
  /* lines 1-4 are the head; the override starts at line 5 */
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  deduction:\n    indicators:\n      - id: i1\n        items:\n"
                                       "          - id: it1\n            cap: 0.5\n",
                          &r),
            GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:11: indicator 指标一: item it1: cap 0.5 is below its per-finding deduction 1");
  /* the per-finding value set by the profile, the cap by the base: blame the profile */
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  deduction:\n    indicators:\n      - id: i1\n        items:\n"
                                       "          - id: it1\n            per_finding: 6\n",
                          &r),
            GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:11: indicator 指标一: item it1: cap 5 is below its per-finding deduction 6");
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  deduction:\n    indicators:\n      - id: i1\n        items:\n"
                                       "          - id: it1\n            keys: [b.y, q.q]\n",
                          &r),
            GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:11: indicator 指标一: item it1: unknown rule key 'q.q' (not in rule_keys)");
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  deduction:\n    indicators:\n      - id: i2\n        points: 30\n", &r),
            GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:9: deduction: the indicators' points add up to 90, not the total 100");
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  bonus:\n    totl: 20\n", &r), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:7: bonus: unknown key 'totl' in 'bonus' (known: total, requires, "
                          "entry_above, entry_at_least, items, uncertain, source)");
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  vetoes:\n    - id: V9\n      remove: true\n", &r), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:8: id V9: 'remove: true', but the base has no entry with this id");
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  vetoes:\n    - id: V1\n      remove: yes\n", &r), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:8: id V1: 'remove' must be true (it deletes the base's entry)");
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  vetoes:\n    - id: V1\n      remove: true\n      name: x\n", &r),
            GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:7: id V1: an entry with 'remove: true' takes no other keys");
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  vetoes:\n    - id: V1\n      name: a\n    - id: V1\n      name: b\n", &r),
            GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:9: duplicate id 'V1' (first at line 7)");
  /* a new entry must be complete */
  CHECK_INT(parse_profile(PROFILE_HEAD "website:\n  vetoes:\n    - id: V2\n      name: 否决二\n", &r), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:7: veto V2: missing 'any'");
  /* bases */
  CHECK_INT(parse_profile("format: 1\nid: x\nextends: nope\ntitle: t\n", &r), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:3: extends 'nope': no rule document named nope.yaml");
  CHECK_INT(parse_profile("format: 1\nid: x\nextends: [mini]\ntitle: t\n", &r), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:3: 'extends' must be the id of a rule set, not a list");
  {
    const char *a = "format: 1\nid: a\nextends: b\ntitle: t\n";
    const char *b = "format: 1\nid: b\nextends: a\ntitle: t\n";
    struct gw_rules_doc d[2] = {{"a.yaml", a, strlen(a)}, {"b.yaml", b, strlen(b)}};
    CHECK_INT(gw_rules_parse(d, 2, NULL, &r), GW_EINVAL);
    CHECK_STR(gw_err_msg(), "b.yaml:3: extends 'a' makes a cycle: a -> b -> a");
    const char *self = "format: 1\nid: a\nextends: a\ntitle: t\n";
    struct gw_rules_doc d1[2] = {{"a.yaml", self, strlen(self)}, {"a.yaml", self, strlen(self)}};
    CHECK_INT(gw_rules_parse(d1, 2, NULL, &r), GW_EINVAL);
    CHECK_STR(gw_err_msg(), "a.yaml:3: extends 'a' makes a cycle: a -> a");
    const char *wrong = "format: 1\nid: other\ntitle: t\n";
    struct gw_rules_doc d2[2] = {{"p.yaml", PROFILE_HEAD, strlen(PROFILE_HEAD)}, {"rules/mini.yaml", wrong, strlen(wrong)}};
    CHECK_INT(gw_rules_parse(d2, 2, NULL, &r), GW_EINVAL);
    CHECK_STR(gw_err_msg(), "rules/mini.yaml:2: id 'other' does not match the file name (expected 'mini')");
    /* a chain longer than the cap */
    struct gw_rules_doc chain[GW_RULES_MAX_DEPTH + 2];
    char texts[GW_RULES_MAX_DEPTH + 2][96], names[GW_RULES_MAX_DEPTH + 2][16];
    for (int i = 0; i < GW_RULES_MAX_DEPTH + 2; i++) {
      snprintf(texts[i], sizeof texts[i], "format: 1\nid: p%d\nextends: p%d\ntitle: t\n", i, i + 1);
      snprintf(names[i], sizeof names[i], "p%d.yaml", i);
      chain[i] = (struct gw_rules_doc){names[i], texts[i], strlen(texts[i])};
    }
    CHECK_INT(gw_rules_parse(chain, GW_RULES_MAX_DEPTH + 2, NULL, &r), GW_ELIMIT);
    CHECK_STR(gw_err_msg(), "p8.yaml:3: extends 'p9': more than 8 rule sets in the chain");
  }
  /* a valid profile: values override, entries are added and removed, the
   * vocabulary grows, the base's values stay */
  const char *good = PROFILE_HEAD
    "basis: 地方规则\n"
    "rule_keys:\n  d.w:\n    label: 丁问题\n"
    "website:\n"
    "  vetoes:\n    - id: V1\n      remove: true\n    - id: V7\n      name: 否决七\n      any:\n        - id: a\n          keys: [d.w]\n"
    "  bonus:\n    total: 20\n";
  CHECK_MSG(parse_profile(good, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_STR(gw_rules_id(r), "x");
    CHECK_STR(gw_rules_title(r), "配置");
    CHECK_STR(gw_rules_basis(r), "地方规则");
    CHECK_INT(gw_rules_chain_count(r), 2);
    CHECK_STR(gw_rules_chain_at(r, 0), "mini");
    CHECK_STR(gw_rules_chain_at(r, 1), "x");
    CHECK_INT(gw_rules_key_count(r), 4);
    CHECK_STR(gw_rules_key_at(r, 3), "d.w");
    gw_rules_free(&r);
  }
}

/* ---- the shipped files ------------------------------------------------------------- */

static char *src_path(const char *rel)
{
  const char *src = getenv("GW_SRC");
  char *p = gw_malloc(4096);
  snprintf(p, 4096, "%s/%s", src && *src ? src : "..", rel);
  return p;
}

/* The check ids the national file names: the contract for check modules. */
static const char *const NATIONAL_CHECKS[] = {
  "wording.serious", "security.bad_link", "security.defacement", "security.hidden_link", "dates.forged",
  "privacy.leak", "homepage.update", "columns.update", "interaction.channel", "interaction.reply",
  "service.presence", "service.guide", "service.stats", "interpretation.link", "annual_report.publish",
  "wording.typo", "links.broken", "identity.footer", "identity.domain", "search.box", "ipv6.support",
  "media.update", "media.interaction", "media.function", "media.content", "media.register", "transport.tls", NULL,
};

static void test_national(void)
{
  char *path = src_path("rules/national-2019.yaml");
  struct gw_rules *r = NULL;
  CHECK_MSG(gw_rules_load(path, NATIONAL_CHECKS, &r) == GW_OK, "%s", gw_err_msg());
  if (!r) {
    free(path);
    return;
  }
  CHECK_STR(gw_rules_id(r), "national-2019");
  CHECK_STR(gw_rules_basis(r), "国办秘函〔2019〕19号");
  CHECK_INT(gw_rules_warning_count(r), 0);
  CHECK_INT(gw_rules_key_count(r), 50);
  static const char *const keys[] = {
    "security.serious_wording", "security.privacy_leak", "homepage.stale", "column.stale.dynamic",
    "column.stale.notice_l1", "column.stale.policy_l1", "column.stale.long", "column.empty",
    "interaction.no_channel", "interaction.unanswered", "interaction.replies_stale", "service.missing",
    "service.guide_incomplete", "service.stats_stale", "interpretation.missing", "interpretation.unlinked",
    "annual_report.missing", "link.broken.homepage", "link.broken.other", "identity.footer", "identity.code",
    "ipv6.unsupported", "search.missing", "media.not_updated", "media.no_interaction", NULL};
  for (int i = 0; keys[i]; i++)
    CHECK_MSG(gw_rules_key_known(r, keys[i]), "national-2019 defines %s", keys[i]);
  CHECK_INT(gw_rules_fact_count(r), 7);
  CHECK_STR(gw_rules_fact_at(r, 0), "availability.failure_share");
  /* every uncertain value is documented in docs/rules.md by its place */
  char *docp = src_path("docs/rules.md");
  char *doc = gw_test_slurp(docp, NULL);
  CHECK_MSG(doc != NULL, "docs/rules.md readable at %s", docp);
  CHECK(gw_rules_uncertain_count(r) >= 40);
  for (size_t i = 0; doc && i < gw_rules_uncertain_count(r); i++) {
    /* "rules/national-2019.yaml:LINE: where: key = value (source ...)" -> "where: key = value" */
    const char *u = gw_rules_uncertain_at(r, i);
    const char *w = strstr(u, ".yaml:");
    w = w ? strchr(w + 6, ' ') : NULL;
    const char *end = w ? strstr(w, " (source: ") : NULL;
    CHECK_MSG(w && end, "uncertain line shape: %s", u);
    if (!w || !end)
      continue;
    char want[512];
    snprintf(want, sizeof want, "%.*s", (int)(end - w - 1), w + 1);
    CHECK_MSG(strstr(doc, want) != NULL, "docs/rules.md lists the uncertain value '%s'", want);
  }
  free(doc);
  free(docp);
  gw_rules_free(&r);
  /* without the registry the check ids are not validated; with a registry that
   * lacks one, the line of the first use is named */
  const char *const few[] = {"links.broken", NULL};
  CHECK_INT(gw_rules_load(path, few, &r), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "national-2019.yaml:");
  CHECK_CONTAINS(gw_err_msg(), ": rule key security.serious_wording: unknown check id 'wording.serious'");

  /* a profile over the real national file: the message names the profile's line */
  char *ntext = gw_test_slurp(path, NULL);
  if (ntext) {
    const char *prof = "format: 1\nid: x\nextends: national-2019\ntitle: 测试\nwebsite:\n  deduction:\n"
                       "    indicators:\n      - id: function\n        items:\n          - id: link.broken.homepage\n"
                       "            # below one deduction\n            cap: 0.5\n";
    struct gw_rules_doc d[2] = {{"rules/profiles/x.yaml", prof, strlen(prof)},
                                {"rules/national-2019.yaml", ntext, strlen(ntext)}};
    CHECK_INT(gw_rules_parse(d, 2, NATIONAL_CHECKS, &r), GW_EINVAL);
    CHECK_STR(gw_err_msg(), "rules/profiles/x.yaml:12: indicator 功能设计: item link.broken.homepage: cap 0.5 is below "
                            "its per-finding deduction 1");
    free(ntext);
  }
  free(path);

  static const char *const profiles[] = {"zhaoqing-2019", "xuancheng-2019", "xianning-2022", NULL};
  for (int i = 0; profiles[i]; i++) {
    char rel[128];
    snprintf(rel, sizeof rel, "rules/profiles/%s.yaml", profiles[i]);
    path = src_path(rel);
    CHECK_MSG(gw_rules_load(path, NATIONAL_CHECKS, &r) == GW_OK, "%s: %s", rel, gw_err_msg());
    if (r) {
      CHECK_STR(gw_rules_id(r), profiles[i]);
      CHECK_INT(gw_rules_chain_count(r), 2);
      CHECK_STR(gw_rules_chain_at(r, 0), "national-2019");
      CHECK_INT(gw_rules_warning_count(r), 0);
      gw_rules_free(&r);
    }
    free(path);
  }
}

/* Files: bases are found beside the profile or one directory up. */
static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "wb");
  if (!f)
    return;
  fputs(text, f);
  fclose(f);
}

static void test_files(void)
{
  const char *tmp = gw_test_tmpdir();
  char dir[1024], prof[1024], path[1100];
  snprintf(dir, sizeof dir, "%s/rules", tmp);
  snprintf(prof, sizeof prof, "%s/rules/profiles", tmp);
  mkdir(dir, 0700);
  mkdir(prof, 0700);
  char *base = mini_with(0, "");
  snprintf(path, sizeof path, "%s/mini.yaml", dir);
  write_file(path, base);
  free(base);
  snprintf(path, sizeof path, "%s/x.yaml", prof);
  write_file(path, PROFILE_HEAD "website:\n  bonus:\n    total: 25\n");
  snprintf(path, sizeof path, "%s/y.yaml", prof);
  write_file(path, "format: 1\nid: y\nextends: x\ntitle: 二级配置\n");
  struct gw_rules *r = NULL;
  CHECK_MSG(gw_rules_load(path, NULL, &r) == GW_OK, "%s", gw_err_msg());
  if (r) {
    CHECK_INT(gw_rules_chain_count(r), 3);
    CHECK_STR(gw_rules_chain_at(r, 0), "mini");
    CHECK_STR(gw_rules_chain_at(r, 1), "x");
    CHECK_STR(gw_rules_chain_at(r, 2), "y");
    gw_rules_free(&r);
  }
  snprintf(path, sizeof path, "%s/z.yaml", prof);
  write_file(path, "format: 1\nid: z\nextends: national-2099\ntitle: t\n");
  CHECK_INT(gw_rules_load(path, NULL, &r), GW_ENOTFOUND);
  char want[4096];
  snprintf(want, sizeof want,
           "%s/rules/profiles/z.yaml:3: extends 'national-2099': no rule file national-2099.yaml in %s/rules/profiles or "
           "%s/rules",
           tmp, tmp, tmp);
  CHECK_STR(gw_err_msg(), want);
  snprintf(path, sizeof path, "%s/none.yaml", prof);
  CHECK_INT(gw_rules_load(path, NULL, &r), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "none.yaml: cannot open rule file: ");
  CHECK(r == NULL);
}

int main(void)
{
  test_mini_valid();
  test_bad_values();
  test_bad_structure();
  test_bad_consistency();
  test_bad_yaml();
  test_warnings();
  test_profiles();
  test_national();
  test_files();
  return gw_test_done();
}
