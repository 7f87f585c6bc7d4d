/* Alerts: events from finished slots (down, recovered, pre-warning, veto),
 * the mute window, payloads for a generic webhook, DingTalk and WeCom
 * robots delivered to a local libmicrohttpd receiver, robot refusals, and
 * e-mail through libcurl to a minimal SMTP sink. */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "monitor/alert.h"
#include "store/monitor_store.h"
#include "store/store.h"
#include "tap.h"

/* ---- the webhook receiver ---- */

#define MAX_POSTS 64
struct receiver {
  pthread_mutex_t mu;
  char *path[MAX_POSTS];
  char *body[MAX_POSTS];
  int n;
};

struct req {
  struct gw_buf b;
};

static enum MHD_Result on_req(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **con_cls)
{
  (void)version;
  struct receiver *r = cls;
  struct req *q = *con_cls;
  if (!q) {
    q = gw_calloc(1, sizeof *q);
    gw_buf_init(&q->b, 1 << 20);
    *con_cls = q;
    return MHD_YES;
  }
  if (*size) {
    gw_buf_append(&q->b, data, *size);
    *size = 0;
    return MHD_YES;
  }
  pthread_mutex_lock(&r->mu);
  if (r->n < MAX_POSTS && strcmp(method, "POST") == 0) {
    r->path[r->n] = gw_strdup(url);
    r->body[r->n] = gw_buf_steal(&q->b);
    r->n++;
  }
  pthread_mutex_unlock(&r->mu);
  const char *answer = "{\"errcode\":0,\"errmsg\":\"ok\"}";
  unsigned status = MHD_HTTP_OK;
  if (strcmp(url, "/refuse") == 0)
    answer = "{\"errcode\":310000,\"errmsg\":\"keywords not in content\"}";
  if (strcmp(url, "/broken") == 0)
    status = MHD_HTTP_INTERNAL_SERVER_ERROR;
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(strlen(answer), (void *)(uintptr_t)answer, MHD_RESPMEM_PERSISTENT);
  enum MHD_Result ret = MHD_queue_response(c, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
  (void)cls;
  (void)c;
  (void)t;
  struct req *q = *con_cls;
  if (q) {
    gw_buf_free(&q->b);
    free(q);
    *con_cls = NULL;
  }
}

/* ---- a minimal SMTP sink: one session, the DATA kept ---- */

struct smtp_sink {
  int fd;
  uint16_t port;
  pthread_t th;
  struct gw_buf data;
  struct gw_buf rcpt;
};

static void say(int fd, const char *s)
{
  ssize_t w = write(fd, s, strlen(s));
  (void)w;
}

static void *smtp_run(void *arg)
{
  struct smtp_sink *s = arg;
  int c = accept(s->fd, NULL, NULL);
  if (c < 0)
    return NULL;
  say(c, "220 sink ESMTP\r\n");
  struct gw_buf line = GW_BUF_INIT;
  bool in_data = false;
  char ch;
  while (read(c, &ch, 1) == 1) {
    gw_buf_putc(&line, ch);
    if (ch != '\n')
      continue;
    const char *l = gw_buf_cstr(&line);
    if (in_data) {
      if (strcmp(l, ".\r\n") == 0) {
        in_data = false;
        say(c, "250 queued\r\n");
      } else {
        gw_buf_puts(&s->data, l);
      }
    } else if (gw_str_starts(l, "EHLO") || gw_str_starts(l, "HELO")) {
      say(c, "250 sink\r\n");
    } else if (gw_str_starts(l, "MAIL FROM")) {
      say(c, "250 ok\r\n");
    } else if (gw_str_starts(l, "RCPT TO")) {
      gw_buf_puts(&s->rcpt, l);
      say(c, "250 ok\r\n");
    } else if (gw_str_starts(l, "DATA")) {
      in_data = true;
      say(c, "354 go on\r\n");
    } else if (gw_str_starts(l, "QUIT")) {
      say(c, "221 bye\r\n");
      break;
    } else {
      say(c, "250 ok\r\n");
    }
    gw_buf_reset(&line);
  }
  gw_buf_free(&line);
  close(c);
  return NULL;
}

static int smtp_start(struct smtp_sink *s)
{
  memset(s, 0, sizeof *s);
  s->fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->fd, 1) != 0 ||
      getsockname(s->fd, (struct sockaddr *)&a, &len) != 0)
    return -1;
  s->port = ntohs(a.sin_port);
  return pthread_create(&s->th, NULL, smtp_run, s);
}

/* ---- tests ---- */

static int64_t T0;

static void finish(struct gw_store *st, int64_t site, int64_t at, enum gw_avail_verdict v, struct gw_avail_slot *out)
{
  struct gw_avail_slot s;
  CHECK_INT(gw_store_slot_begin(st, site, 4, at, at, &s), GW_OK);
  s.verdict = v;
  s.reason = v == GW_AV_FAIL ? GW_AR_TIMEOUT : GW_AR_NONE;
  s.finished_at = at + 1;
  s.attempts = v == GW_AV_FAIL ? 2 : 1;
  CHECK_INT(gw_store_slot_finish(st, &s), GW_OK);
  s.state = GW_SLOT_DONE;
  *out = s;
}

static json_t *parse(const char *s)
{
  json_error_t err;
  json_t *j = json_loads(s ? s : "", 0, &err);
  CHECK_MSG(j != NULL, "payload is JSON: %s", err.text);
  return j;
}

static const char *jstr(json_t *j, const char *a, const char *b)
{
  json_t *x = json_object_get(j, a);
  if (b)
    x = json_object_get(x, b);
  return json_is_string(x) ? json_string_value(x) : NULL;
}

static void test_events(void)
{
  struct receiver rx;
  memset(&rx, 0, sizeof rx);
  pthread_mutex_init(&rx.mu, NULL);
  struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_req,
                                          &rx, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
  CHECK(d != NULL);
  if (!d)
    return;
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  uint16_t port = info->port;
  char u_json[96], u_ding[96], u_wecom[96], u_refuse[96], u_broken[96];
  snprintf(u_json, sizeof u_json, "http://127.0.0.1:%u/json", port);
  snprintf(u_ding, sizeof u_ding, "http://127.0.0.1:%u/dingtalk", port);
  snprintf(u_wecom, sizeof u_wecom, "http://127.0.0.1:%u/wecom", port);
  snprintf(u_refuse, sizeof u_refuse, "http://127.0.0.1:%u/refuse", port);
  snprintf(u_broken, sizeof u_broken, "http://127.0.0.1:%u/broken", port);
  struct gw_alert_channel ch[3] = {
      {GW_CHANNEL_JSON, u_json, NULL, NULL, 0, NULL, NULL},
      {GW_CHANNEL_DINGTALK, u_ding, NULL, NULL, 0, NULL, NULL},
      {GW_CHANNEL_WECOM, u_wecom, NULL, NULL, 0, NULL, NULL},
  };
  struct gw_alert_cfg cfg;
  gw_alert_cfg_default(&cfg);
  cfg.channels = ch;
  cfg.n_channels = 3;
  CHECK_INT(cfg.mute_s, 3600);

  struct gw_store *st = NULL;
  char db[512];
  snprintf(db, sizeof db, "%s/alert.db", gw_test_tmpdir());
  CHECK_INT(gw_store_open(&st, db, 0), GW_OK);
  struct gw_unit u = {0};
  u.name = "青溪县人民政府";
  u.kind = GW_UNIT_REGION;
  CHECK_INT(gw_store_unit_insert(st, &u), GW_OK);
  struct gw_site site = {0};
  site.name = "青溪县人民政府门户网站";
  site.url = "http://www.qingxi.gov.cn/";
  site.code = "3301000001";
  site.unit_id = u.id;
  site.kind = GW_SITE_PORTAL;
  site.status = GW_SITE_RUNNING;
  CHECK_INT(gw_store_site_insert(st, &site), GW_OK);

  /* 40 good probes over the two days before: enough for the share to count. */
  struct gw_avail_slot s;
  int64_t alerts = 0;
  for (int i = 0; i < 40; i++) {
    finish(st, site.id, T0 - 2 * 86400 + i * 4000, GW_AV_OK, &s);
    CHECK_INT(gw_alert_on_slot(st, &cfg, &s, site.name, site.url, &alerts), GW_OK);
    gw_avail_slot_clear(&s);
  }
  CHECK_INT(alerts, 0);
  const int64_t t1 = T0;
  struct {
    int64_t at;
    enum gw_avail_verdict v;
  } seq[] = {{t1, GW_AV_FAIL},        {t1 + 600, GW_AV_FAIL}, {t1 + 1200, GW_AV_OK},
             {t1 + 1800, GW_AV_FAIL}, {t1 + 2400, GW_AV_OK},  {t1 + 7200, GW_AV_FAIL}};
  for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
    finish(st, site.id, seq[i].at, seq[i].v, &s);
    CHECK_INT(gw_alert_on_slot(st, &cfg, &s, site.name, site.url, &alerts), GW_OK);
    gw_avail_slot_clear(&s);
  }
  /* an UNKNOWN slot says nothing */
  finish(st, site.id, t1 + 8000, GW_AV_UNKNOWN, &s);
  CHECK_INT(gw_alert_on_slot(st, &cfg, &s, site.name, site.url, &alerts), GW_OK);
  gw_avail_slot_clear(&s);

  struct gw_alert_list l = {0};
  CHECK_INT(gw_store_alert_list(st, site.id, T0 - 3 * 86400, T0 + 86400, &l), GW_OK);
  struct {
    int64_t at;
    enum gw_alert_kind kind;
    bool muted;
  } want[] = {{t1, GW_ALERT_DOWN, false},          {t1 + 600, GW_ALERT_WARN, false},
              {t1 + 1200, GW_ALERT_RECOVERED, false}, {t1 + 1800, GW_ALERT_DOWN, true},
              {t1 + 1800, GW_ALERT_VETO, false},    {t1 + 2400, GW_ALERT_RECOVERED, true},
              {t1 + 7200, GW_ALERT_DOWN, false}};
  size_t nw = sizeof want / sizeof want[0];
  CHECK_INT(l.n, nw);
  CHECK_INT(alerts, nw);
  for (size_t i = 0; i < l.n && i < nw; i++) {
    CHECK_MSG(l.v[i].at == want[i].at && l.v[i].kind == want[i].kind && l.v[i].muted == want[i].muted,
              "alert %zu: at +%lld %s muted %d, expected +%lld %s %d", i, (long long)(l.v[i].at - t1),
              gw_alert_kind_key(l.v[i].kind), l.v[i].muted, (long long)(want[i].at - t1),
              gw_alert_kind_key(want[i].kind), want[i].muted);
    CHECK_INT(l.v[i].sent, want[i].muted ? 0 : 3);
    CHECK_INT(l.v[i].failed, 0);
  }
  if (l.n >= 5) {
    CHECK_CONTAINS(l.v[0].text, "【站点无法访问】青溪县人民政府门户网站（http://www.qingxi.gov.cn/）");
    CHECK_CONTAINS(l.v[0].text, "超过15秒未打开");
    CHECK_CONTAINS(l.v[0].text, "2025-03-03 00:00:00");
    CHECK_CONTAINS(l.v[1].text, "【可用性预警】");
    CHECK_CONTAINS(l.v[1].text, "4.76%");
    CHECK_CONTAINS(l.v[2].text, "自2025-03-03 00:00:00起无法访问");
    CHECK_CONTAINS(l.v[4].text, "已达“站点无法访问”单项否决线");
  }
  gw_alert_list_free(&l);

  /* what the receiver got: 5 sent alerts x 3 channels, in order */
  pthread_mutex_lock(&rx.mu);
  CHECK_INT(rx.n, 15);
  for (int i = 0; i + 2 < rx.n; i += 3) {
    CHECK_STR(rx.path[i], "/json");
    CHECK_STR(rx.path[i + 1], "/dingtalk");
    CHECK_STR(rx.path[i + 2], "/wecom");
  }
  if (rx.n >= 3) {
    json_t *j = parse(rx.body[0]);
    CHECK_STR(jstr(j, "event", NULL), "down");
    CHECK_STR(jstr(j, "event_label", NULL), "站点无法访问");
    CHECK_STR(jstr(j, "reason", NULL), "timeout");
    CHECK_STR(jstr(j, "at", NULL), "2025-03-03T00:00:00+08:00");
    CHECK_INT(json_integer_value(json_object_get(j, "family")), 4);
    CHECK_INT(json_integer_value(json_object_get(j, "site_id")), site.id);
    json_decref(j);
    j = parse(rx.body[1]);
    CHECK_STR(jstr(j, "msgtype", NULL), "markdown");
    CHECK_STR(jstr(j, "markdown", "title"), "站点无法访问");
    CHECK_CONTAINS(jstr(j, "markdown", "text"), "### 站点无法访问\n\n【站点无法访问】");
    json_decref(j);
    j = parse(rx.body[2]);
    CHECK_STR(jstr(j, "msgtype", NULL), "markdown");
    CHECK_CONTAINS(jstr(j, "markdown", "content"), "青溪县人民政府门户网站");
    json_decref(j);
  }
  pthread_mutex_unlock(&rx.mu);

  /* refusals and failures of a channel */
  struct gw_alert_event e = {0};
  e.kind = GW_ALERT_DOWN;
  e.site_id = site.id;
  e.site_name = site.name;
  e.url = site.url;
  e.family = 6;
  e.at = t1;
  e.reason = GW_AR_DNS;
  struct gw_alert_channel bad = {GW_CHANNEL_DINGTALK, u_refuse, NULL, NULL, 0, NULL, NULL};
  CHECK_INT(gw_alert_send(&bad, &e, 5000), GW_ENET);
  CHECK_CONTAINS(gw_err_msg(), "errcode 310000 (keywords not in content)");
  bad.url = u_broken;
  bad.kind = GW_CHANNEL_JSON;
  CHECK_INT(gw_alert_send(&bad, &e, 5000), GW_ENET);
  CHECK_CONTAINS(gw_err_msg(), "answered HTTP 500");
  bad.url = "ftp://127.0.0.1/";
  CHECK_INT(gw_alert_send(&bad, &e, 5000), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "needs an http:// or https:// URL");
  bad.kind = GW_CHANNEL_SMTP;
  bad.url = "smtp://127.0.0.1:1/";
  CHECK_INT(gw_alert_send(&bad, &e, 5000), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "needs a sender and at least one recipient");
  /* a failed channel is counted on the row, not an error */
  struct gw_alert_channel one[1] = {{GW_CHANNEL_JSON, u_broken, NULL, NULL, 0, NULL, NULL}};
  cfg.channels = one;
  cfg.n_channels = 1;
  finish(st, site.id, t1 + 20000, GW_AV_OK, &s);
  CHECK_INT(gw_alert_on_slot(st, &cfg, &s, site.name, site.url, &alerts), GW_OK);
  gw_avail_slot_clear(&s);
  CHECK_INT(gw_store_alert_list(st, site.id, t1 + 20000, t1 + 20001, &l), GW_OK);
  CHECK_INT(l.n, 1);
  if (l.n) {
    CHECK_INT(l.v[0].kind, GW_ALERT_RECOVERED);
    CHECK_INT(l.v[0].sent, 0);
    CHECK_INT(l.v[0].failed, 1);
  }
  gw_alert_list_free(&l);

  /* e-mail */
  struct smtp_sink sink;
  CHECK_INT(smtp_start(&sink), 0);
  char smtp[64];
  snprintf(smtp, sizeof smtp, "smtp://127.0.0.1:%u", sink.port);
  const char *to[2] = {"duty@qingxi.gov.cn", "office@qingxi.gov.cn"};
  struct gw_alert_channel mail = {GW_CHANNEL_SMTP, smtp, "govwatch@qingxi.gov.cn", to, 2, NULL, NULL};
  CHECK_INT(gw_alert_send(&mail, &e, 5000), GW_OK);
  pthread_join(sink.th, NULL);
  close(sink.fd);
  char *want_mail = gw_alert_mail(&e, mail.mail_from, to, 2);
  CHECK_STR(gw_buf_cstr(&sink.data), want_mail);
  CHECK_CONTAINS(gw_buf_cstr(&sink.data), "Subject: =?UTF-8?B?");
  CHECK_CONTAINS(gw_buf_cstr(&sink.rcpt), "<office@qingxi.gov.cn>");
  free(want_mail);
  gw_buf_free(&sink.data);
  gw_buf_free(&sink.rcpt);

  gw_store_close(&st);
  MHD_stop_daemon(d);
  for (int i = 0; i < rx.n; i++) {
    free(rx.path[i]);
    free(rx.body[i]);
  }
  pthread_mutex_destroy(&rx.mu);
}

/* The mail's body is the text in base64: decode it back. */
static void test_mail_text(void)
{
  struct gw_alert_event e = {0};
  e.kind = GW_ALERT_VETO;
  e.site_name = "青溪县教育局";
  e.url = "http://jyj.qingxi.gov.cn/";
  e.family = 4;
  e.at = T0;
  e.fail_bp = 512;
  e.probes = 164;
  e.fails = 8;
  char *text = gw_alert_text(&e);
  CHECK_STR(text, "【触发单项否决】青溪县教育局（http://jyj.qingxi.gov.cn/）经IPv4近7日访问失败率5.12%（164次探测中失败8次），"
                  "已达“站点无法访问”单项否决线。");
  const char *to[1] = {"a@b.cn"};
  char *mail = gw_alert_mail(&e, "x@y.cn", to, 1);
  const char *body = strstr(mail, "\r\n\r\n");
  CHECK(body != NULL);
  if (body) {
    /* decode */
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    struct gw_buf out = GW_BUF_INIT;
    unsigned v = 0;
    int bits = 0;
    for (const char *p = body + 4; *p; p++) {
      const char *k = strchr(a, *p);
      if (!k || !*p)
        continue;
      v = v << 6 | (unsigned)(k - a);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        gw_buf_putc(&out, (char)(v >> bits & 0xff));
      }
    }
    CHECK_STR(gw_buf_cstr(&out), text);
    gw_buf_free(&out);
  }
  free(mail);
  free(text);
}

int main(void)
{
  struct gw_civil c = {2025, 3, 3, 0, 0, 0};
  T0 = gw_time_from_civil(&c);
  test_mail_text();
  test_events();
  return gw_test_done();
}
