/* The content checks wording.serious, wording.typo and privacy.leak
 * (checks/content.c) on a crawl written as the crawler would: which pages
 * are read, what each check reports with which evidence, template grouping,
 * the allow list, masking (no full number in any field of any finding),
 * stable keys, the configuration keys and the failure when the word lists
 * are missing. The word lists are written by the test into a temporary
 * directory, with a tiny frequency dictionary, so results do not depend on
 * the shipped lists or on jieba. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "checks/check.h"
#include "checks/content.h"
#include "checks_fixture.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/utf8.h"
#include "store/check_records.h"
#include "tap.h"

#define FULL_ID "330326197601167075"
#define FULL_MOBILE "15829051244"

static char g_tmp[256];

static void write_file(const char *dir, const char *name, const char *text)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(1);
  }
}

/* dict/wording, dict/privacy and a frequency dictionary under g_tmp. */
static void make_lists(void)
{
  snprintf(g_tmp, sizeof g_tmp, "%s/gw-content-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(g_tmp)) {
    perror("mkdtemp");
    exit(1);
  }
  char d[512];
  snprintf(d, sizeof d, "%s/dict", g_tmp);
  mkdir(d, 0700);
  snprintf(d, sizeof d, "%s/dict/wording", g_tmp);
  mkdir(d, 0700);
  write_file(d, "misused.txt", "# test pairs\n贯切落实\t贯彻落实\n再接再励\t再接再厉\n");
  write_file(d, "leaders-local.txt", "周立新\t县委书记\n陈晓东\t县长\n");
  write_file(d, "sensitive.txt", "六合彩\t赌博类垃圾信息\n");
  write_file(d, "allow.txt", "再接再励\n");
  snprintf(d, sizeof d, "%s/dict/privacy", g_tmp);
  mkdir(d, 0700);
  write_file(d, "context.txt",
             "[id]\n身份证\n身份证号码\n[mobile]\n联系电话\n手机\n[bank]\n银行卡\n[person]\n姓名\n[public]\n热线\n"
             "监督电话\n[not_personal]\n编号\n");
  write_file(d, "surnames.txt", "张\n李\n王\n袁\n赵\n");
  write_file(d, "public_numbers.txt", "12345 政务服务便民热线\n");
  /* the engine wants a real dictionary (1,000 words at least): common
   * words plus filler words of rare characters (U+9A00..) */
  struct gw_buf f = GW_BUF_INIT;
  gw_buf_puts(&f, "的 100000 uj\n工作 5000 vn\n调研 800 vn\n部署 900 vn\n落实 3000 v\n");
  for (unsigned i = 0; i < 1200; i++) {
    char w[16];
    size_t n = gw_utf8_encode(0x9A00 + i / 40, w);
    n += gw_utf8_encode(0x9A80 + i % 40, w + n);
    w[n] = 0;
    gw_buf_printf(&f, "%s %u n\n", w, 10 + i);
  }
  write_file(g_tmp, "freq.txt", gw_buf_cstr(&f));
  gw_buf_free(&f);
}

static void remove_lists(void)
{
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
  if (system(cmd) != 0)
    fprintf(stderr, "cannot remove %s\n", g_tmp);
}

static void test_config(struct gw_config *cfg, const char *dict)
{
  gw_config_defaults(cfg);
  free(cfg->dict_dir);
  cfg->dict_dir = gw_strdup(dict);
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_printf(&b, "%s/freq.txt", g_tmp);
  cfg->freq_dict = gw_buf_steal(&b);
}

/* ---- masking ---- */

static void test_mask(void)
{
  static const struct {
    const char *in, *want;
  } cases[] = {
    {"身份证" FULL_ID "号", "身份证33*************075号"},
    {"手机" FULL_MOBILE "。", "手机15******244。"},
    {"电话0570601234", "电话0570601234"}, /* ten digits: left alone */
    {"33032619760116707X", "33*************07X"},
    {"\xEF\xBC\x93\xEF\xBC\x93" "032619760116707\xEF\xBC\xB8", "\xEF\xBC\x93\xEF\xBC\x93*************07\xEF\xBC\xB8"},
    {"a\xFF" "b", "a\xEF\xBF\xBD" "b"},
    {"", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct gw_buf b = GW_BUF_INIT;
    gw_content_mask_numbers(&b, cases[i].in, strlen(cases[i].in));
    CHECK_STR(gw_buf_cstr(&b), cases[i].want);
    gw_buf_free(&b);
  }
  /* a run longer than 64 digits is starred whole */
  char longrun[80];
  memset(longrun, '7', 70);
  longrun[70] = 0;
  struct gw_buf b = GW_BUF_INIT;
  gw_content_mask_numbers(&b, longrun, 70);
  CHECK_INT(b.len, 70);
  CHECK(strspn(gw_buf_cstr(&b), "*") == 70);
  gw_buf_free(&b);
}

/* ---- findings ---- */

struct got {
  size_t n;
  json_t *all; /* key -> finding */
  bool leaked; /* a full number in some field */
};

static void look(struct got *g, const char *s)
{
  if (s && (strstr(s, FULL_ID) || strstr(s, FULL_MOBILE) || strstr(s, "6222021234567890123")))
    g->leaked = true;
}

static int got_row(void *ctx, const struct gw_finding_row *r)
{
  struct got *g = ctx;
  g->n++;
  const struct gw_finding *f = &r->f;
  look(g, f->key);
  look(g, f->url);
  look(g, f->target);
  look(g, f->locator);
  look(g, f->snippet);
  look(g, f->title);
  look(g, f->detail);
  look(g, f->observed_json);
  json_t *j = json_object();
  json_object_set_new(j, "check", json_string(r->check));
  json_object_set_new(j, "rule", json_string(f->rule));
  json_object_set_new(j, "severity", json_integer(f->severity));
  json_object_set_new(j, "needs_review", json_boolean(f->needs_review));
  json_object_set_new(j, "url", json_string(f->url));
  json_object_set_new(j, "locator", f->locator ? json_string(f->locator) : json_null());
  json_object_set_new(j, "snippet", f->snippet ? json_string(f->snippet) : json_null());
  json_object_set_new(j, "title", json_string(f->title));
  json_object_set_new(j, "detail", json_string(f->detail));
  json_object_set_new(j, "fingerprint", json_string(r->fingerprint));
  json_error_t e;
  json_t *o = f->observed_json ? json_loads(f->observed_json, 0, &e) : NULL;
  json_object_set_new(j, "observed", o ? o : json_null());
  json_object_set_new(g->all, f->key, j);
  return 0;
}

static const char *js(json_t *f, const char *a, const char *b)
{
  json_t *v = json_object_get(f, a);
  if (b)
    v = json_object_get(v, b);
  if (json_is_string(v))
    return json_string_value(v);
  if (json_is_true(v))
    return "true";
  if (json_is_false(v))
    return "false";
  static char buf[64];
  if (json_is_integer(v)) {
    snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    return buf;
  }
  return v ? "(other)" : "(missing)";
}

static void add_page(struct fx *x, const char *url, const char *title, const char *middle, int status,
                     bool internal, enum gw_url_kind kind)
{
  char *body = fx_page(title, middle);
  struct fx_row r;
  memset(&r, 0, sizeof r);
  r.url = url;
  r.kind = kind;
  r.internal = internal;
  r.state = GW_URL_DONE;
  r.status = status;
  r.body = body;
  r.title = title;
  fx_add(x, x->crawl_id, &r);
  free(body);
}

static void build(struct fx *x)
{
  add_page(x, "http://www.example.gov.cn/", "首页", "<p>欢迎访问。</p>", 200, true, GW_URL_PAGE);
  add_page(x, "http://www.example.gov.cn/a.html", "调研",
           "<p>3月27日，县委书记陈晓东到局调研，县长陈晓东陪同。</p>"
           "<p>会议要求贯切落实部署，身份证" FULL_ID "已登记。</p>"
           "<p>再次强调贯切落实部署。</p><p>要再接再励，做好工作。</p><p>严禁六合彩等赌博活动。</p>",
           200, true, GW_URL_PAGE);
  add_page(x, "http://www.example.gov.cn/list.html", "补贴公示",
           "<table><tr><th>序号</th><th>姓名</th><th>身份证号码</th><th>联系电话</th></tr>"
           "<tr><td>1</td><td>袁杰</td><td>" FULL_ID "</td><td>" FULL_MOBILE "</td></tr>"
           "<tr><td>2</td><td>赵娜</td><td>33*************409</td><td>158****6057</td></tr></table>"
           "<p>咨询热线：12345。</p>",
           200, true, GW_URL_PAGE);
  /* template text: the same sentence with a typo on three pages */
  for (int i = 1; i <= 3; i++) {
    char url[80];
    snprintf(url, sizeof url, "http://www.example.gov.cn/t%d.html", i);
    add_page(x, url, "模板", "<p>各部门要贯切落实本站管理规定。</p><p>正文。</p>", 200, true, GW_URL_PAGE);
  }
  /* not read: an external page, an error page, an attachment row */
  add_page(x, "http://www.other.cn/x.html", "外站", "<p>外站也贯切落实。</p>", 200, false, GW_URL_EXTERNAL);
  add_page(x, "http://www.example.gov.cn/missing.html", "404", "<p>错误页贯切落实。</p>", 404, true, GW_URL_PAGE);
  struct fx_row r;
  memset(&r, 0, sizeof r);
  r.url = "http://www.example.gov.cn/doc.pdf";
  r.kind = GW_URL_RESOURCE;
  r.internal = true;
  r.state = GW_URL_DONE;
  r.status = 200;
  r.content_type = "application/pdf";
  fx_add(x, x->crawl_id, &r);
}

static void run_checks(struct fx *x, const struct gw_config *cfg, struct got *g, struct gw_check_run_report *rep);

/* A zip holding word/document.xml = xml (a minimal DOCX); *len its size. */
static void *make_docx(const char *xml, size_t *len)
{
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_source_keep(src);
  zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  zip_file_add(za, "word/document.xml", zip_source_buffer(za, xml, strlen(xml), 0), 0);
  if (zip_close(za) != 0)
    abort();
  zip_stat_t st;
  if (zip_source_open(src) != 0 || zip_source_stat(src, &st) != 0)
    abort();
  void *buf = malloc(st.size);
  if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size)
    abort();
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&ze);
  *len = st.size;
  return buf;
}

/* An attachment row fetched with GET and its (binary) body kept, as the
 * crawler writes it with crawl.keep_documents. */
static void add_doc(struct fx *x, const char *url, const char *ctype, const void *body, size_t len, bool truncated)
{
  struct gw_crawl_url u;
  memset(&u, 0, sizeof u);
  u.crawl_id = x->crawl_id;
  u.url = (char *)url;
  u.depth = 2;
  u.kind = GW_URL_RESOURCE;
  u.internal = true;
  u.state = GW_URL_QUEUED;
  if (gw_store_crawl_url_insert(x->st, &u))
    fx_die(url);
  u.state = GW_URL_DONE;
  u.attempts = 1;
  u.method = (char *)"GET";
  u.http_status = 200;
  u.content_type = (char *)ctype;
  u.fetched_at = x->as_of - 120;
  if (gw_store_body_put(x->st, body, len, &u.body_id))
    fx_die("body");
  u.body_bytes = (int64_t)len;
  u.body_truncated = truncated;
  if (gw_store_crawl_url_result(x->st, &u))
    fx_die(url);
}

#define DOCX_CT "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

static void build_docs(struct fx *x)
{
  size_t len;
  void *d = make_docx("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
                      "<w:p><w:r><w:t>补贴名单</w:t></w:r></w:p><w:tbl>"
                      "<w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>联系电话</w:t></w:r></w:p></w:tc></w:tr>"
                      "<w:tr><w:tc><w:p><w:r><w:t>李明</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>13912345678</w:t></w:r></w:p></w:tc></w:tr>"
                      "</w:tbl><w:p><w:r><w:t>请各单位贯切落实。</w:t></w:r></w:p></w:body></w:document>",
                      &len);
  add_doc(x, "http://www.example.gov.cn/attach/list.docx", DOCX_CT, d, len, false);
  /* the same document cut at the body cap, under an octet-stream type: not read */
  add_doc(x, "http://www.example.gov.cn/attach/cut.docx", "application/octet-stream", d, len / 2, true);
  /* a corrupt one: logged, skipped, the check does not fail */
  add_doc(x, "http://www.example.gov.cn/attach/bad.docx", DOCX_CT, "PK\x03\x04garbage", 11, false);
  /* an HTML error page under a .docx name: not a document */
  add_doc(x, "http://www.example.gov.cn/attach/gone.docx", "text/html", "<p>贯切落实</p>", strlen("<p>贯切落实</p>"),
          false);
  free(d);
}

static void test_documents(void)
{
  struct fx x;
  fx_open(&x);
  build_docs(&x);
  char dict[512];
  snprintf(dict, sizeof dict, "%s/dict", g_tmp);
  struct gw_config cfg;
  test_config(&cfg, dict);
  struct got g;
  struct gw_check_run_report rep;
  run_checks(&x, &cfg, &g, &rep);
  CHECK_INT(rep.failed, 0);
  CHECK_INT(g.n, 2);
  CHECK(!g.leaked);
  json_t *f = json_object_get(g.all, "page|http://www.example.gov.cn/attach/list.docx|mobile:139****5678");
  CHECK(f != NULL);
  CHECK_STR(js(f, "check", NULL), "privacy.leak");
  CHECK_STR(js(f, "observed", "document"), "docx");
  CHECK_STR(js(f, "observed", "confidence"), "high");
  CHECK_STR(js(f, "locator", NULL), "附件第 3 段");
  CHECK_CONTAINS(js(f, "detail", NULL), "附件《list.docx》附件第 3 段公开了未脱敏的手机号码 139****5678");
  f = json_object_get(g.all, "page|http://www.example.gov.cn/attach/list.docx|贯切落实");
  CHECK(f != NULL);
  CHECK_STR(js(f, "snippet", NULL), "请各单位贯切落实。");
  CHECK_STR(js(f, "observed", "document"), "docx");
  json_decref(g.all);
  gw_check_run_report_clear(&rep);
  gw_config_clear(&cfg);
  fx_close(&x);
}

static void run_checks(struct fx *x, const struct gw_config *cfg, struct got *g, struct gw_check_run_report *rep)
{
  static const char *const only[] = {"privacy.leak", "wording.serious", "wording.typo"};
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  o.only = only;
  o.n_only = 3;
  o.config = cfg;
  CHECK_INT(gw_check_run_site(x->st, &x->site, &o, rep), GW_OK);
  g->n = 0;
  g->all = json_object();
  g->leaked = false;
  CHECK_INT(gw_store_finding_each(x->st, rep->run_id, NULL, got_row, g), GW_OK);
}

static void test_findings(void)
{
  struct fx x;
  fx_open(&x);
  build(&x);
  char dict[512];
  snprintf(dict, sizeof dict, "%s/dict", g_tmp);
  struct gw_config cfg;
  test_config(&cfg, dict);
  struct got g;
  struct gw_check_run_report rep;
  run_checks(&x, &cfg, &g, &rep);
  CHECK_INT(rep.failed, 0);
  CHECK_MSG(!g.leaked, "no finding holds a full ID or mobile number");
  /* privacy: ID and mobile of the table (the ID in a.html's sentence is a
   * third), typo on a.html, template typo, wrong title, sensitive word;
   * paragraphs count the lines of the visible text (the navigation is 1) */
  CHECK_INT(g.n, 7);
  CHECK_INT(rep.findings, 7);

  json_t *f = json_object_get(g.all, "page|http://www.example.gov.cn/list.html|id18:33*************075");
  CHECK(f != NULL);
  CHECK_STR(js(f, "check", NULL), "privacy.leak");
  CHECK_STR(js(f, "rule", NULL), "security.privacy_leak");
  CHECK_STR(js(f, "severity", NULL), "1");
  CHECK_STR(js(f, "needs_review", NULL), "false");
  CHECK_STR(js(f, "title", NULL), "个人隐私泄露：居民身份证号码（18位）未脱敏");
  CHECK_STR(js(f, "observed", "masked"), "33*************075");
  CHECK_STR(js(f, "observed", "confidence"), "high");
  CHECK_STR(js(f, "observed", "kind"), "id18");
  CHECK_CONTAINS(js(f, "detail", NULL), "页面《补贴公示》");
  CHECK_CONTAINS(js(f, "detail", NULL), "33*************075");
  CHECK_CONTAINS(js(f, "snippet", NULL), "袁杰 33*************075 158****1244");
  f = json_object_get(g.all, "page|http://www.example.gov.cn/list.html|mobile:158****1244");
  CHECK(f != NULL);
  CHECK_STR(js(f, "observed", "masked"), "158****1244");
  CHECK_STR(js(f, "title", NULL), "个人隐私泄露：手机号码未脱敏");
  /* the ID in a.html's sentence: an ID label before it */
  f = json_object_get(g.all, "page|http://www.example.gov.cn/a.html|id18:33*************075");
  CHECK(f != NULL);
  CHECK_STR(js(f, "locator", NULL), "第 3 段");

  /* wording.serious: the wrong title, evidence with the sentence */
  f = json_object_get(g.all, "page|http://www.example.gov.cn/a.html|县委书记");
  CHECK(f != NULL);
  CHECK_STR(js(f, "check", NULL), "wording.serious");
  CHECK_STR(js(f, "rule", NULL), "security.serious_wording");
  CHECK_STR(js(f, "title", NULL), "疑似严重表述错误（国家领导人姓名职务）");
  CHECK_STR(js(f, "observed", "suggestion"), "县长");
  CHECK_STR(js(f, "observed", "category"), "leaders");
  CHECK_STR(js(f, "observed", "source"), "leaders-local.txt:2");
  CHECK_STR(js(f, "snippet", NULL), "3月27日，县委书记陈晓东到局调研，县长陈晓东陪同。");
  CHECK_STR(js(f, "locator", NULL), "第 2 段");
  CHECK_STR(js(f, "needs_review", NULL), "false");
  /* the sensitive word: no suggestion, a person judges */
  f = json_object_get(g.all, "page|http://www.example.gov.cn/a.html|六合彩");
  CHECK(f != NULL);
  CHECK_STR(js(f, "title", NULL), "疑似严重表述错误（敏感词）");
  CHECK_STR(js(f, "needs_review", NULL), "true");
  CHECK_STR(js(f, "observed", "suggestion"), "");
  CHECK_CONTAINS(js(f, "detail", NULL), "需人工判断");

  /* wording.typo: twice on a.html = one finding, the sentence's ID masked */
  f = json_object_get(g.all, "page|http://www.example.gov.cn/a.html|贯切落实");
  CHECK(f != NULL);
  CHECK_STR(js(f, "check", NULL), "wording.typo");
  CHECK_STR(js(f, "rule", NULL), "content.typo");
  CHECK_STR(js(f, "severity", NULL), "2");
  CHECK_STR(js(f, "title", NULL), "疑似错别字");
  CHECK_STR(js(f, "observed", "occurrences"), "2");
  CHECK_STR(js(f, "observed", "suggestion"), "贯彻落实");
  CHECK_STR(js(f, "observed", "source"), "misused.txt:2");
  CHECK_STR(js(f, "locator", NULL), "第 3 段（本页共 2 处）");
  CHECK_STR(js(f, "snippet", NULL), "会议要求贯切落实部署，身份证33*************075已登记。");
  /* the allow list: 再接再励 is never reported */
  CHECK(json_object_get(g.all, "page|http://www.example.gov.cn/a.html|再接再励") == NULL);
  /* template: one finding for the three pages */
  const char *tk = NULL;
  json_t *v;
  json_object_foreach(g.all, tk, v)
  {
    if (strncmp(tk, "template|贯切落实|", strlen("template|贯切落实|")) == 0)
      break;
  }
  CHECK(tk != NULL);
  f = tk ? json_object_get(g.all, tk) : NULL;
  CHECK_STR(js(f, "observed", "pages"), "3");
  CHECK_STR(js(f, "observed", "template"), "true");
  CHECK_STR(js(f, "url", NULL), "http://www.example.gov.cn/t1.html");
  CHECK_CONTAINS(js(f, "locator", NULL), "模板文字：3 个页面的同一语句");
  CHECK_CONTAINS(js(f, "detail", NULL), "http://www.example.gov.cn/t3.html");
  for (int i = 1; i <= 3; i++) {
    char k[128];
    snprintf(k, sizeof k, "page|http://www.example.gov.cn/t%d.html|贯切落实", i);
    CHECK(json_object_get(g.all, k) == NULL);
  }
  /* external, 404 and attachment rows are not read */
  CHECK(json_object_get(g.all, "page|http://www.other.cn/x.html|贯切落实") == NULL);
  CHECK(json_object_get(g.all, "page|http://www.example.gov.cn/missing.html|贯切落实") == NULL);

  /* a second run replaces, with the same fingerprints */
  json_t *first = g.all;
  gw_check_run_report_clear(&rep);
  struct got g2;
  run_checks(&x, &cfg, &g2, &rep);
  CHECK_INT(g2.n, 7);
  const char *k;
  json_object_foreach(first, k, v)
  {
    json_t *w = json_object_get(g2.all, k);
    CHECK_MSG(w && strcmp(js(v, "fingerprint", NULL), js(w, "fingerprint", NULL)) == 0, "stable key %s", k);
  }
  json_decref(first);
  json_decref(g2.all);
  gw_check_run_report_clear(&rep);
  gw_config_clear(&cfg);
  fx_close(&x);
}

/* Missing lists: the checks fail with a message naming the path and the
 * configuration key; the run is still made. */
static void test_missing_lists(void)
{
  struct fx x;
  fx_open(&x);
  build(&x);
  char dict[512];
  snprintf(dict, sizeof dict, "%s/no-such-dict", g_tmp);
  struct gw_config cfg;
  test_config(&cfg, dict);
  struct got g;
  struct gw_check_run_report rep;
  run_checks(&x, &cfg, &g, &rep);
  CHECK_INT(rep.failed, 3);
  CHECK_INT(g.n, 0);
  for (size_t i = 0; i < rep.n; i++) {
    CHECK(rep.v[i].rc != GW_OK);
    CHECK_CONTAINS(rep.v[i].error, "no-such-dict");
    CHECK_CONTAINS(rep.v[i].error, "content.dict_dir");
  }
  json_decref(g.all);
  gw_check_run_report_clear(&rep);
  gw_config_clear(&cfg);

  /* a missing frequency dictionary names its key too */
  snprintf(dict, sizeof dict, "%s/dict", g_tmp);
  test_config(&cfg, dict);
  free(cfg.freq_dict);
  cfg.freq_dict = gw_strdup("/nonexistent/freq.txt");
  const struct gw_wording *we = NULL;
  CHECK(gw_content_wording(&cfg, &we) != GW_OK);
  CHECK(we == NULL);
  CHECK_CONTAINS(gw_err_msg(), "/nonexistent/freq.txt");
  CHECK_CONTAINS(gw_err_msg(), "content.freq_dict");
  /* the privacy lists load; the same engine is returned twice */
  const struct gw_privacy_dict *p1 = NULL, *p2 = NULL;
  CHECK_INT(gw_content_privacy(&cfg, &p1), GW_OK);
  CHECK_INT(gw_content_privacy(&cfg, &p2), GW_OK);
  CHECK(p1 && p1 == p2);
  gw_config_clear(&cfg);
  fx_close(&x);
}

/* The registry lists the three checks with their rule keys. */
static void test_registry(void)
{
  const struct gw_check *c = gw_check_find("wording.serious");
  CHECK(c != NULL && strcmp(c->rules[0], "security.serious_wording") == 0 && !c->rules[1]);
  c = gw_check_find("wording.typo");
  CHECK(c != NULL && strcmp(c->rules[0], "content.typo") == 0 && !c->rules[1]);
  c = gw_check_find("privacy.leak");
  CHECK(c != NULL && strcmp(c->rules[0], "security.privacy_leak") == 0 && !c->rules[1]);
  CHECK(c && c->needs == GW_CHECK_NEEDS_CRAWL);
}

int main(void)
{
  make_lists();
  test_mask();
  test_registry();
  test_findings();
  test_documents();
  test_missing_lists();
  gw_content_cache_clear();
  remove_lists();
  return gw_test_done();
}
