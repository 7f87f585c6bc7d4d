/* The wording engine: categories, evidence fields, lists, near misses of
 * leader names and titles, the statistical detector, the allow list, error
 * paths and malformed input. Uses the repository's dict/wording, jieba's
 * dictionary from python3-jieba and the shared confusion sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/error.h"
#include "tap.h"
#include "text/wording.h"

static char g_dict[4096], g_conf[4096];

struct rec {
  enum gw_wording_cat cat;
  size_t start, len, sent_start, sent_len;
  char suspect[256], suggestion[256], rule[128], note[128];
  double conf;
};

struct recs {
  struct rec r[32];
  size_t n;
  int stop_after; /* 0 = never */
};

static int collect(const struct gw_wording_hit *h, void *arg)
{
  struct recs *rs = arg;
  if (rs->n < 32) {
    struct rec *r = &rs->r[rs->n];
    r->cat = h->cat;
    r->start = h->start, r->len = h->len;
    r->sent_start = h->sent_start, r->sent_len = h->sent_len;
    snprintf(r->suspect, sizeof r->suspect, "%s", h->suspect);
    snprintf(r->suggestion, sizeof r->suggestion, "%s", h->suggestion);
    snprintf(r->rule, sizeof r->rule, "%s", h->rule);
    snprintf(r->note, sizeof r->note, "%s", h->note);
    r->conf = h->confidence;
  }
  rs->n++;
  if (rs->stop_after && (int)rs->n >= rs->stop_after)
    return 42;
  return 0;
}

static struct recs scan(const struct gw_wording *e, const char *text)
{
  struct recs rs;
  memset(&rs, 0, sizeof rs);
  gw_wording_scan(e, text, strlen(text), collect, &rs);
  return rs;
}

/* The first hit whose suspect is `s`, or NULL. */
static const struct rec *find(const struct recs *rs, const char *s)
{
  for (size_t i = 0; i < rs->n && i < 32; i++)
    if (strcmp(rs->r[i].suspect, s) == 0)
      return &rs->r[i];
  return NULL;
}

static void write_file(const char *dir, const char *name, const char *content)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (f) {
    fputs(content, f);
    fclose(f);
  }
}

static void test_labels(void)
{
  CHECK_STR(gw_wording_cat_label(GW_WCAT_LEADER), "国家领导人姓名职务");
  CHECK_STR(gw_wording_cat_label(GW_WCAT_FALLEN), "落马官员");
  CHECK_STR(gw_wording_cat_id(GW_WCAT_LAW), "laws");
  CHECK_STR(gw_wording_cat_id(GW_WCAT_TYPO), "misused");
  CHECK_STR(gw_wording_cat_label(GW_WCAT_COUNT_), "");
  CHECK_STR(gw_wording_cat_id((enum gw_wording_cat)99), "");
}

static void test_pairs_and_evidence(const struct gw_wording *e)
{
  const char *t = "会议要求。各单位要贯切落实会议精神，确保取得实效。";
  struct recs rs = scan(e, t);
  CHECK_INT(rs.n, 1);
  const struct rec *r = find(&rs, "贯切落实");
  CHECK(r != NULL);
  if (r) {
    CHECK_INT(r->cat, GW_WCAT_TYPO);
    CHECK_STR(r->suggestion, "贯彻落实");
    CHECK_CONTAINS(r->rule, "misused.txt:");
    CHECK_STR(r->note, "疑似错别字");
    CHECK(r->conf >= 0.9);
    CHECK_INT(r->start, strstr(t, "贯切") - t);
    CHECK_INT(r->len, strlen("贯切落实"));
    /* the sentence is the second one, up to and including its 。 */
    CHECK_INT(r->sent_start, strlen("会议要求。"));
    CHECK_INT(r->sent_len, strlen("各单位要贯切落实会议精神，确保取得实效。"));
  }
  /* a two-character wrong form only when it stands alone */
  rs = scan(e, "既使条件艰苦，也要完成任务。");
  r = find(&rs, "既使");
  CHECK(r && strcmp(r->suggestion, "即使") == 0);
  rs = scan(e, "这样既使得群众满意，又提高了效率。");
  CHECK(find(&rs, "既使") == NULL);
  /* direction: 部署 is right */
  rs = scan(e, "党中央作出重大决策部署。");
  CHECK_INT(rs.n, 0);
  rs = scan(e, "认真落实上级布署。");
  r = find(&rs, "布署");
  CHECK(r && strcmp(r->suggestion, "部署") == 0);
}

static void test_categories(const struct gw_wording *e)
{
  struct recs rs = scan(e, "根据《中华人民共和国政府信息公开条列》的规定。");
  const struct rec *r = find(&rs, "中华人民共和国政府信息公开条列");
  CHECK(r != NULL);
  if (r) {
    CHECK_INT(r->cat, GW_WCAT_LAW);
    CHECK_STR(r->suggestion, "中华人民共和国政府信息公开条例");
    CHECK_CONTAINS(r->rule, "laws.txt:");
  }
  rs = scan(e, "新疆维吾尔族自治区人民政府发布通知。");
  r = find(&rs, "新疆维吾尔族自治区");
  CHECK(r && r->cat == GW_WCAT_DIVISION && strcmp(r->suggestion, "新疆维吾尔自治区") == 0);
  rs = scan(e, "深入学习习近平新时代中国特色的社会主义思想。");
  r = find(&rs, "习近平新时代中国特色的社会主义思想");
  CHECK(r && r->cat == GW_WCAT_FIXED);
  rs = scan(e, "国务院办公厅印发通知。");
  CHECK_INT(rs.n, 0);
  rs = scan(e, "国务院办工厅印发通知。");
  r = find(&rs, "国务院办工厅");
  CHECK(r && r->cat == GW_WCAT_INSTITUTION && strcmp(r->suggestion, "国务院办公厅") == 0);
  rs = scan(e, "中央经济工作会义在北京举行。");
  r = find(&rs, "中央经济工作会义");
  CHECK(r && r->cat == GW_WCAT_MEETING);
  /* the listed bodies one character apart are both correct */
  rs = scan(e, "人民检察院检察委员会和监察委员会。");
  CHECK_INT(rs.n, 0);
}

static void test_leaders(const struct gw_wording *e)
{
  struct recs rs = scan(e, "中共中央总书记、国家主席、中央军委主席习近平出席会议并发表重要讲话。");
  CHECK_INT(rs.n, 0);
  rs = scan(e, "国务院总理李强主持召开国务院常务会议。");
  CHECK_INT(rs.n, 0);
  /* a title that is not the person's */
  rs = scan(e, "国务院总理赵乐际出席会议。");
  const struct rec *r = find(&rs, "国务院总理");
  CHECK(r != NULL);
  if (r) {
    CHECK_INT(r->cat, GW_WCAT_LEADER);
    CHECK_STR(r->note, "领导人职务与姓名不符");
    CHECK_STR(r->suggestion, "全国人大常委会委员长");
    CHECK_CONTAINS(r->rule, "leaders.txt:");
  }
  /* a former title still correct in archived pages */
  rs = scan(e, "国务院副总理韩正出席。");
  CHECK_INT(rs.n, 0);
  /* name one character off (same pinyin) */
  rs = scan(e, "中央军委主席习进平发表讲话。");
  r = find(&rs, "习进平");
  CHECK(r && r->cat == GW_WCAT_LEADER && strcmp(r->suggestion, "习近平") == 0);
  /* swapped characters */
  rs = scan(e, "习平近总书记指出。");
  r = find(&rs, "习平近");
  CHECK(r && strcmp(r->note, "领导人姓名字序颠倒") == 0 && strcmp(r->suggestion, "习近平") == 0);
  /* a two-character near miss next to a full title */
  rs = scan(e, "国务院总理李墙主持会议。");
  r = find(&rs, "李墙");
  CHECK(r && strcmp(r->suggestion, "李强") == 0);
  /* a short title may end a local title: another person, no hit */
  rs = scan(e, "市政协副主席李强参加调研。");
  CHECK_INT(rs.n, 0);
}

static void test_flags(const struct gw_wording *e)
{
  struct recs rs = scan(e, "网站首页出现六合彩广告。");
  const struct rec *r = find(&rs, "六合彩");
  CHECK(r && r->cat == GW_WCAT_SENSITIVE && r->suggestion[0] == '\0');
  rs = scan(e, "领导之窗仍显示周永康的照片。");
  r = find(&rs, "周永康");
  CHECK(r && r->cat == GW_WCAT_FALLEN && r->suggestion[0] == '\0');
}

static void test_statistical(const struct gw_wording *e)
{
  struct recs rs = scan(e, "市应急管理局组建防汛抗旱指辉部。");
  CHECK_INT(rs.n, 1);
  if (rs.n == 1) {
    CHECK_STR(rs.r[0].rule, "statistical");
    CHECK_INT(rs.r[0].cat, GW_WCAT_TYPO);
    CHECK_CONTAINS(rs.r[0].suspect, "指辉");
    CHECK_CONTAINS(rs.r[0].suggestion, "指挥");
    CHECK(rs.r[0].conf >= 0.5 && rs.r[0].conf <= 0.9);
  }
  rs = scan(e, "年内持旭推进改革。");
  CHECK(find(&rs, "持旭") && strcmp(find(&rs, "持旭")->suggestion, "持续") == 0);
  /* turned off */
  struct gw_wording_tuning t;
  gw_wording_tuning_get(e, &t);
  CHECK(t.stat_enabled);
  struct gw_wording_tuning off = t;
  off.stat_enabled = false;
  CHECK_INT(gw_wording_tuning_set((struct gw_wording *)e, &off), GW_OK);
  rs = scan(e, "市应急管理局组建防汛抗旱指辉部。");
  CHECK_INT(rs.n, 0);
  CHECK_INT(gw_wording_tuning_set((struct gw_wording *)e, &t), GW_OK);
  struct gw_wording_tuning bad = t;
  bad.stat_max_per_sentence = 0;
  CHECK_INT(gw_wording_tuning_set((struct gw_wording *)e, &bad), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "stat_max_per_sentence");
  bad = t;
  bad.stat_min_gain = 1.0 / 0.0;
  CHECK_INT(gw_wording_tuning_set((struct gw_wording *)e, &bad), GW_EINVAL);
}

/* Correct government text must give no hit at all. */
static void test_clean_text(const struct gw_wording *e)
{
  static const char *const clean[] = {
      "为深入贯彻落实党中央、国务院决策部署，进一步做好政务公开工作，现将有关事项通知如下。",
      "各地区、各部门要坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。",
      "依据《中华人民共和国政府信息公开条例》第二十条，主动公开本机关的政府信息。",
      "县人民政府办公室关于印发2025年政务公开工作要点的通知",
      "加快推进一网通办，持续优化营商环境，提升政务服务标准化、规范化、便利化水平。",
      "对网站存在的错别字、链接不可用等问题，请于10个工作日内完成整改并报送整改情况。",
      "统筹发展和安全，坚持稳中求进工作总基调，推动经济实现质的有效提升和量的合理增长。",
      "驻村工作队要因地制宜、分类施策，巩固拓展脱贫攻坚成果同乡村振兴有效衔接。",
      "联系电话：0571-12345678；电子邮箱：gov@example.gov.cn。",
  };
  for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
    struct recs rs = scan(e, clean[i]);
    CHECK_MSG(rs.n == 0, "no hit in \"%s\" (got %zu, first \"%s\" -> \"%s\" by %s)", clean[i], rs.n,
              rs.n ? rs.r[0].suspect : "", rs.n ? rs.r[0].suggestion : "",
              rs.n ? rs.r[0].rule : "");
  }
}

static void test_allow(struct gw_wording *e)
{
  const char *t = "他既使条件艰苦也坚持工作。";
  struct recs rs = scan(e, t);
  CHECK(find(&rs, "既使") != NULL);
  CHECK_INT(gw_wording_allow_add(e, "他既使条件"), GW_OK);
  CHECK_INT(gw_wording_allow_add(e, "他既使条件"), GW_OK); /* twice is fine */
  rs = scan(e, t);
  CHECK_MSG(rs.n == 0, "allowed (got %zu: %s)", rs.n, rs.n ? rs.r[0].suspect : "");
  /* elsewhere the pair still fires */
  rs = scan(e, "既使困难再多也要完成。");
  CHECK(find(&rs, "既使") != NULL);
  CHECK_INT(gw_wording_allow_add(e, ""), GW_EINVAL);
  CHECK_INT(gw_wording_allow_add(e, "\xff\xfe"), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "UTF-8");
  CHECK_INT(gw_wording_allow_add(e, NULL), GW_EINVAL);
  char longp[400] = "";
  for (int i = 0; i < 70; i++)
    strncat(longp, "字", sizeof longp - strlen(longp) - 1);
  CHECK_INT(gw_wording_allow_add(e, longp), GW_EINVAL);
  struct gw_wording_stats st;
  gw_wording_get_stats(e, &st);
  CHECK(st.allow >= 1);
  CHECK(st.words > 300000);
  CHECK(st.near_misses > 1000);
  CHECK(st.custom_kept > 0 && st.custom_dropped > 0);
}

static void test_malformed(const struct gw_wording *e)
{
  const char t[] = "\xff\xfe贯切落实\xc3。\xe4\xb8\n\x80\x80习平近\xf0\x9f";
  struct recs rs;
  memset(&rs, 0, sizeof rs);
  CHECK_INT(gw_wording_scan(e, t, sizeof t - 1, collect, &rs), 0);
  CHECK(find(&rs, "贯切落实") != NULL);
  CHECK(find(&rs, "习平近") != NULL);
  for (size_t i = 0; i < rs.n && i < 32; i++) {
    CHECK(rs.r[i].start + rs.r[i].len <= sizeof t - 1);
    CHECK(rs.r[i].sent_start <= rs.r[i].start);
    CHECK(rs.r[i].start + rs.r[i].len <= rs.r[i].sent_start + rs.r[i].sent_len);
  }
  /* empty input, a length shorter than the string (no read past len) */
  memset(&rs, 0, sizeof rs);
  CHECK_INT(gw_wording_scan(e, "", 0, collect, &rs), 0);
  CHECK_INT(rs.n, 0);
  CHECK_INT(gw_wording_scan(e, "贯切落实", 6, collect, &rs), 0);
  CHECK(find(&rs, "贯切落实") == NULL);
  for (size_t i = 0; i < rs.n && i < 32; i++)
    CHECK(rs.r[i].start + rs.r[i].len <= 6);
  /* a very long sentence is cut, not refused */
  size_t n = 3000;
  char *big = gw_malloc(n * 3 + 64);
  size_t bl = 0;
  for (size_t i = 0; i < n; i++) {
    memcpy(big + bl, "国", 3);
    bl += 3;
  }
  memcpy(big + bl, "贯切落实", strlen("贯切落实"));
  bl += strlen("贯切落实");
  memset(&rs, 0, sizeof rs);
  CHECK_INT(gw_wording_scan(e, big, bl, collect, &rs), 0);
  CHECK(find(&rs, "贯切落实") != NULL);
  free(big);
  /* the callback stops the scan */
  memset(&rs, 0, sizeof rs);
  rs.stop_after = 1;
  const char *two = "贯切落实。再接再励。";
  CHECK_INT(gw_wording_scan(e, two, strlen(two), collect, &rs), 42);
  CHECK_INT(rs.n, 1);
}

static void test_errors(void)
{
  const char *tmp = gw_test_tmpdir();
  struct gw_wording *e = NULL;
  char dir[4096], path[4096];
  CHECK_INT(gw_wording_new(&e, "/nonexistent/wording", NULL, NULL), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "/nonexistent/wording");
  CHECK(e == NULL);
  CHECK_INT(gw_wording_new(&e, g_dict, "/nonexistent/dict.txt", NULL), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "python3-jieba");
  CHECK_CONTAINS(gw_err_msg(), "/nonexistent/dict.txt");
  CHECK_INT(gw_wording_new(&e, g_dict, NULL, "/nonexistent/confusion"), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "/nonexistent/confusion");
  CHECK(e == NULL);

  /* a word-frequency file that is not one */
  snprintf(path, sizeof path, "%s/bad-freq.txt", tmp);
  write_file(tmp, "bad-freq.txt", "word notanumber n\n");
  CHECK_INT(gw_wording_new(&e, g_dict, path, NULL), GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "bad-freq.txt:1");

  struct {
    const char *file, *content, *expect;
  } cases[] = {
      {"misused.txt", "# c\n贯切\t贯切\n", "misused.txt:2: wrong form and correct form are the same"},
      {"misused.txt", "a\tb\tc\n", "misused.txt:1: more than two TAB-separated fields"},
      {"laws.txt", "ok\n\xff\xfe\n", "laws.txt:2: not valid UTF-8"},
      {"leaders.txt", "习近平\n", "leaders.txt:1: expected"},
      {"leaders.txt", "习\t主席\n", "leaders.txt:1: name '习' must be two or more"},
      {"vocab.txt", "驻村 abc\n", "vocab.txt:1: frequency 'abc'"},
      {"vocab.txt", "abc\n", "vocab.txt:1: word 'abc' must be"},
      {"allow.txt", "\xff\n", "allow.txt:1: allow-list phrase is not valid UTF-8"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    snprintf(dir, sizeof dir, "%s/case%zu", tmp, i);
    mkdir(dir, 0700);
    write_file(dir, cases[i].file, cases[i].content);
    int rc = gw_wording_new(&e, dir, NULL, NULL);
    CHECK_MSG(rc == GW_EPARSE, "case %zu: GW_EPARSE (got %d: %s)", i, rc, gw_err_msg());
    CHECK_CONTAINS(gw_err_msg(), cases[i].expect);
    CHECK(e == NULL);
  }

  /* an office's own files load beside the national ones, without
   * confusion sets: exact lists work, near misses need the sets */
  snprintf(dir, sizeof dir, "%s/office", tmp);
  mkdir(dir, 0700);
  write_file(dir, "institutions-local.txt", "青溪县人民政府办公室\n清溪县人民政府\t青溪县人民政府\n");
  write_file(dir, "misused.txt", "再接再励\t再接再厉\n");
  write_file(dir, "README", "not a list\n");
  CHECK_INT(gw_wording_new(&e, dir, NULL, NULL), GW_OK);
  if (e) {
    struct recs rs = scan(e, "清溪县人民政府发布通知，要求再接再励。");
    const struct rec *r = find(&rs, "清溪县人民政府");
    CHECK(r && r->cat == GW_WCAT_INSTITUTION && strcmp(r->rule, "institutions-local.txt:2") == 0);
    CHECK(find(&rs, "再接再励") != NULL);
    rs = scan(e, "青溪县人民政府办工室。");
    CHECK_INT(rs.n, 0); /* no confusion sets: no near misses */
    gw_wording_free(&e);
    CHECK(e == NULL);
    gw_wording_free(&e); /* twice is safe */
  }
  gw_wording_free(NULL);
}

int main(void)
{
  const char *src = getenv("GW_SRC");
  const char *shared = getenv("GW_TEST_SHARED");
  if (!src || !*src)
    src = ".";
  if (!shared || !*shared)
    shared = "../shared";
  snprintf(g_dict, sizeof g_dict, "%s/dict/wording", src);
  snprintf(g_conf, sizeof g_conf, "%s/data/confusion", shared);
  test_labels();
  struct gw_wording *e = NULL;
  int rc = gw_wording_new(&e, g_dict, NULL, g_conf);
  CHECK_MSG(rc == GW_OK, "engine loads (%s)", rc ? gw_err_msg() : "ok");
  if (e) {
    test_pairs_and_evidence(e);
    test_categories(e);
    test_leaders(e);
    test_flags(e);
    test_statistical(e);
    test_clean_text(e);
    test_malformed(e);
    test_allow(e);
    gw_wording_free(&e);
  }
  test_errors();
  return gw_test_done();
}
