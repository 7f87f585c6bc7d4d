/* Availability alerts (see alert.h). */
#include "monitor/alert.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "core/log.h"
#include "core/str.h"
#include "store/monitor_store.h"

#define WEEK (7 * 86400)

void gw_alert_cfg_default(struct gw_alert_cfg *c)
{
  memset(c, 0, sizeof *c);
  c->mute_s = 3600;
  gw_avail_thresholds_default(&c->thresholds);
  c->timeout_ms = 10000;
}

/* ---- texts (the Chinese words users read, all here) ---- */

static const char *family_label(int family)
{
  return family == 6 ? "IPv6" : "IPv4";
}

char *gw_alert_text(const struct gw_alert_event *e)
{
  struct gw_buf b = GW_BUF_INIT;
  char when[40], pct[24], veto[24], warn[24], since[40];
  gw_time_format(e->at, when, sizeof when);
  gw_avail_pct(e->fail_bp, pct, sizeof pct);
  const char *name = e->site_name ? e->site_name : "";
  const char *url = e->url ? e->url : "";
  switch (e->kind) {
  case GW_ALERT_DOWN:
    gw_buf_printf(&b, "【站点无法访问】%s（%s）于%s经%s访问失败，已复测确认。原因：%s。近7日失败率%s（%lld次探测中失败%lld次）。",
                  name, url, when, family_label(e->family), gw_avail_reason_label(e->reason), pct,
                  (long long)e->probes, (long long)e->fails);
    break;
  case GW_ALERT_RECOVERED:
    if (e->down_since) {
      gw_time_format(e->down_since, since, sizeof since);
      gw_buf_printf(&b, "【站点恢复访问】%s（%s）于%s经%s恢复访问（自%s起无法访问）。近7日失败率%s。", name, url, when,
                    family_label(e->family), since, pct);
    } else {
      gw_buf_printf(&b, "【站点恢复访问】%s（%s）于%s经%s恢复访问。近7日失败率%s。", name, url, when,
                    family_label(e->family), pct);
    }
    break;
  case GW_ALERT_WARN:
    gw_avail_pct(e->fail_bp, warn, sizeof warn);
    gw_buf_printf(&b, "【可用性预警】%s（%s）经%s近7日访问失败率已达%s（%lld次探测中失败%lld次），接近单项否决线，请尽快排查。",
                  name, url, family_label(e->family), warn, (long long)e->probes, (long long)e->fails);
    break;
  case GW_ALERT_VETO:
    gw_avail_pct(e->fail_bp, veto, sizeof veto);
    gw_buf_printf(&b, "【触发单项否决】%s（%s）经%s近7日访问失败率%s（%lld次探测中失败%lld次），已达“站点无法访问”单项否决线。",
                  name, url, family_label(e->family), veto, (long long)e->probes, (long long)e->fails);
    break;
  case GW_ALERT_FINDING:
    if (e->finding) {
      const struct gw_alert_finding *f = e->finding;
      gw_buf_printf(&b, "【发现严重问题】%s（%s）于%s检查发现：%s（%s，%s）。", name, url, when, f->title ? f->title : "",
                    f->rule ? f->rule : "", f->severity_label ? f->severity_label : "");
      if (f->detail && *f->detail)
        gw_buf_printf(&b, "%s", f->detail);
      if (f->url && *f->url)
        gw_buf_printf(&b, " 页面：%s", f->url);
      if (f->locator && *f->locator)
        gw_buf_printf(&b, "，位置：%s", f->locator);
      if (f->fingerprint)
        gw_buf_printf(&b, "（问题编号 %s）", f->fingerprint);
      break;
    }
    gw_buf_printf(&b, "【发现严重问题】%s（%s）", name, url);
    break;
  default:
    gw_buf_printf(&b, "%s（%s）", name, url);
    break;
  }
  return gw_buf_steal(&b);
}

static char *dump(json_t *j)
{
  char *s = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  if (!s) {
    fprintf(stderr, "govwatch: out of memory (alert payload)\n");
    abort();
  }
  char *copy = gw_strdup(s);
  free(s);
  return copy;
}

char *gw_alert_payload_json(const struct gw_alert_event *e)
{
  char iso[40];
  char *text = gw_alert_text(e);
  json_t *j = json_object();
  json_object_set_new(j, "event", json_string(gw_alert_kind_key(e->kind)));
  json_object_set_new(j, "event_label", json_string(gw_alert_kind_label(e->kind)));
  json_object_set_new(j, "site_id", json_integer(e->site_id));
  json_object_set_new(j, "site_name", json_string(e->site_name ? e->site_name : ""));
  json_object_set_new(j, "url", json_string(e->url ? e->url : ""));
  json_object_set_new(j, "family", json_integer(e->family));
  json_object_set_new(j, "at", json_string(gw_time_format_iso(e->at, iso, sizeof iso)));
  json_object_set_new(j, "reason", json_string(gw_avail_reason_key(e->reason)));
  json_object_set_new(j, "reason_label", json_string(gw_avail_reason_label(e->reason)));
  json_object_set_new(j, "fail_percent", json_real(e->fail_bp / 100.0));
  json_object_set_new(j, "probes_7d", json_integer(e->probes));
  json_object_set_new(j, "fails_7d", json_integer(e->fails));
  if (e->down_since)
    json_object_set_new(j, "down_since", json_string(gw_time_format_iso(e->down_since, iso, sizeof iso)));
  if (e->kind == GW_ALERT_FINDING && e->finding) {
    const struct gw_alert_finding *f = e->finding;
    json_t *jf = json_object();
    json_object_set_new(jf, "check", json_string(f->check ? f->check : ""));
    json_object_set_new(jf, "rule", json_string(f->rule ? f->rule : ""));
    json_object_set_new(jf, "title", json_string(f->title ? f->title : ""));
    json_object_set_new(jf, "detail", json_string(f->detail ? f->detail : ""));
    json_object_set_new(jf, "url", json_string(f->url ? f->url : ""));
    json_object_set_new(jf, "locator", json_string(f->locator ? f->locator : ""));
    json_object_set_new(jf, "fingerprint", json_string(f->fingerprint ? f->fingerprint : ""));
    json_object_set_new(j, "finding", jf);
  }
  json_object_set_new(j, "text", json_string(text));
  free(text);
  return dump(j);
}

/* The markdown both robots show: a heading and the text. */
static char *markdown(const struct gw_alert_event *e)
{
  struct gw_buf b = GW_BUF_INIT;
  char *text = gw_alert_text(e);
  gw_buf_printf(&b, "### %s\n\n%s", gw_alert_kind_label(e->kind), text);
  free(text);
  return gw_buf_steal(&b);
}

char *gw_alert_payload_dingtalk(const struct gw_alert_event *e)
{
  char *md = markdown(e);
  json_t *m = json_object();
  json_object_set_new(m, "title", json_string(gw_alert_kind_label(e->kind)));
  json_object_set_new(m, "text", json_string(md));
  free(md);
  json_t *j = json_object();
  json_object_set_new(j, "msgtype", json_string("markdown"));
  json_object_set_new(j, "markdown", m);
  return dump(j);
}

char *gw_alert_payload_wecom(const struct gw_alert_event *e)
{
  char *md = markdown(e);
  json_t *m = json_object();
  json_object_set_new(m, "content", json_string(md));
  free(md);
  json_t *j = json_object();
  json_object_set_new(j, "msgtype", json_string("markdown"));
  json_object_set_new(j, "markdown", m);
  return dump(j);
}

static void base64(struct gw_buf *b, const unsigned char *p, size_t n, size_t line)
{
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t col = 0;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
    char q[4] = {a[v >> 18 & 63], a[v >> 12 & 63], i + 1 < n ? a[v >> 6 & 63] : '=', i + 2 < n ? a[v & 63] : '='};
    gw_buf_append(b, q, 4);
    col += 4;
    if (line && col >= line && i + 3 < n) {
      gw_buf_puts(b, "\r\n");
      col = 0;
    }
  }
}

char *gw_alert_mail(const struct gw_alert_event *e, const char *from, const char *const *to, size_t n_to)
{
  struct gw_buf b = GW_BUF_INIT;
  char date[40], subject[160];
  char *text = gw_alert_text(e);
  gw_time_format_iso(e->at, date, sizeof date);
  snprintf(subject, sizeof subject, "[GovWatch] %s：%s", gw_alert_kind_label(e->kind),
           e->site_name ? e->site_name : "");
  gw_buf_printf(&b, "From: <%s>\r\nTo: ", from ? from : "");
  for (size_t i = 0; i < n_to; i++)
    gw_buf_printf(&b, "%s<%s>", i ? ", " : "", to[i]);
  gw_buf_puts(&b, "\r\nSubject: =?UTF-8?B?");
  base64(&b, (const unsigned char *)subject, strlen(subject), 0);
  gw_buf_printf(&b, "?=\r\nX-GovWatch-Event: %s\r\nX-GovWatch-Time: %s\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
                gw_alert_kind_key(e->kind), date);
  base64(&b, (const unsigned char *)text, strlen(text), 76);
  gw_buf_puts(&b, "\r\n");
  free(text);
  return gw_buf_steal(&b);
}

/* ---- delivery ---- */

struct upload {
  const char *p;
  size_t left;
};

static size_t on_read(char *dst, size_t size, size_t n, void *ud)
{
  struct upload *u = ud;
  size_t len = size * n < u->left ? size * n : u->left;
  memcpy(dst, u->p, len);
  u->p += len;
  u->left -= len;
  return len;
}

static size_t on_answer(char *p, size_t size, size_t n, void *ud)
{
  /* Robots answer a small JSON object; more is of no interest. */
  gw_buf_append(ud, p, size * n);
  return size * n;
}

int gw_alert_send(const struct gw_alert_channel *ch, const struct gw_alert_event *e, long timeout_ms)
{
  char *body = NULL;
  struct curl_slist *hdr = NULL, *rcpt = NULL;
  struct gw_buf answer;
  char errbuf[CURL_ERROR_SIZE] = "";
  int rc = GW_OK;
  gw_buf_init(&answer, 64 * 1024);
  if (gw_str_empty(ch->url))
    return gw_err_set(GW_EINVAL, "alert channel: no URL");
  CURL *h = curl_easy_init();
  if (!h)
    return gw_err_set(GW_ENOMEM, "alert channel %s: cannot create a libcurl handle", ch->url);
  curl_easy_setopt(h, CURLOPT_URL, ch->url);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 10000L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_answer);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  struct upload up = {0};
  if (ch->kind == GW_CHANNEL_SMTP) {
    if (!gw_str_starts(ch->url, "smtp://") && !gw_str_starts(ch->url, "smtps://")) {
      rc = gw_err_set(GW_EINVAL, "alert channel %s: an e-mail channel needs an smtp:// or smtps:// URL", ch->url);
      goto done;
    }
    if (gw_str_empty(ch->mail_from) || ch->n_mail_to == 0) {
      rc = gw_err_set(GW_EINVAL, "alert channel %s: an e-mail channel needs a sender and at least one recipient",
                      ch->url);
      goto done;
    }
    body = gw_alert_mail(e, ch->mail_from, ch->mail_to, ch->n_mail_to);
    char from[320];
    snprintf(from, sizeof from, "<%s>", ch->mail_from);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    for (size_t i = 0; i < ch->n_mail_to; i++) {
      char to[320];
      snprintf(to, sizeof to, "<%s>", ch->mail_to[i]);
      rcpt = curl_slist_append(rcpt, to);
    }
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    if (ch->user)
      curl_easy_setopt(h, CURLOPT_USERNAME, ch->user);
    if (ch->password)
      curl_easy_setopt(h, CURLOPT_PASSWORD, ch->password);
    up.p = body;
    up.left = strlen(body);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.left);
  } else {
    if (!gw_str_starts(ch->url, "http://") && !gw_str_starts(ch->url, "https://")) {
      rc = gw_err_set(GW_EINVAL, "alert channel %s: a webhook needs an http:// or https:// URL", ch->url);
      goto done;
    }
    body = ch->kind == GW_CHANNEL_DINGTALK ? gw_alert_payload_dingtalk(e)
           : ch->kind == GW_CHANNEL_WECOM  ? gw_alert_payload_wecom(e)
                                           : gw_alert_payload_json(e);
    hdr = curl_slist_append(hdr, "Content-Type: application/json; charset=utf-8");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
  }
  CURLcode cc = curl_easy_perform(h);
  if (cc != CURLE_OK) {
    rc = gw_err_set(GW_ENET, "alert channel %s: %s", ch->url, errbuf[0] ? errbuf : curl_easy_strerror(cc));
    goto done;
  }
  if (ch->kind != GW_CHANNEL_SMTP) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
      rc = gw_err_set(GW_ENET, "alert channel %s: answered HTTP %ld", ch->url, status);
      goto done;
    }
    if (ch->kind != GW_CHANNEL_JSON && answer.len) {
      /* Robots answer 200 with {"errcode": N, "errmsg": ...}; N != 0 is a refusal. */
      json_t *j = json_loadb(answer.data, answer.len, 0, NULL);
      json_t *code = j ? json_object_get(j, "errcode") : NULL;
      if (json_is_integer(code) && json_integer_value(code) != 0) {
        json_t *msg = json_object_get(j, "errmsg");
        rc = gw_err_set(GW_ENET, "alert channel %s: the robot refused the message: errcode %lld (%s)", ch->url,
                        (long long)json_integer_value(code), json_is_string(msg) ? json_string_value(msg) : "");
      }
      json_decref(j);
    }
  }
done:
  curl_easy_cleanup(h);
  curl_slist_free_all(hdr);
  curl_slist_free_all(rcpt);
  gw_buf_free(&answer);
  free(body);
  return rc;
}

void gw_alert_deliver(const struct gw_alert_cfg *cfg, const struct gw_alert_event *e, int *sent, int *failed)
{
  int ok = 0, bad = 0;
  for (size_t i = 0; i < cfg->n_channels; i++) {
    if (gw_alert_send(&cfg->channels[i], e, cfg->timeout_ms) == GW_OK) {
      ok++;
    } else {
      bad++;
      gw_warn("alert not delivered: %s", gw_err_msg());
    }
  }
  if (cfg->on_alert)
    cfg->on_alert(cfg->alert_ctx, e->kind, false, ok, bad);
  *sent = ok;
  *failed = bad;
}

/* ---- detection ---- */

static int emit(struct gw_store *st, const struct gw_alert_cfg *cfg, struct gw_alert_event *e, bool muted,
                int64_t *n_alerts)
{
  struct gw_alert_row row = {0};
  row.site_id = e->site_id;
  row.family = e->family;
  row.kind = e->kind;
  row.at = e->at;
  row.muted = muted;
  row.text = gw_alert_text(e);
  if (!muted) {
    for (size_t i = 0; i < cfg->n_channels; i++) {
      if (gw_alert_send(&cfg->channels[i], e, cfg->timeout_ms) == GW_OK) {
        row.sent++;
      } else {
        row.failed++;
        gw_warn("alert not delivered: %s", gw_err_msg());
      }
    }
  }
  int rc = gw_store_alert_insert(st, &row);
  if (cfg->on_alert)
    cfg->on_alert(cfg->alert_ctx, e->kind, muted, row.sent, row.failed);
  if (rc == GW_OK && n_alerts)
    (*n_alerts)++;
  gw_alert_row_clear(&row);
  return rc;
}

/* Muted when the last sent alert of this kind is within mute_s. */
static int is_muted(struct gw_store *st, const struct gw_alert_cfg *cfg, const struct gw_alert_event *e, bool *out)
{
  struct gw_alert_row last = {0};
  int rc = gw_store_alert_last_sent(st, e->site_id, e->family, e->kind, e->at, &last);
  if (rc == GW_ENOTFOUND) {
    *out = false;
    return GW_OK;
  }
  if (rc != GW_OK)
    return rc;
  *out = e->at - last.at < cfg->mute_s;
  gw_alert_row_clear(&last);
  return GW_OK;
}

int gw_alert_on_slot(struct gw_store *st, const struct gw_alert_cfg *cfg, const struct gw_avail_slot *slot,
                     const char *site_name, const char *url, int64_t *n_alerts)
{
  struct gw_avail_figures before = {0}, after = {0};
  struct gw_alert_row last = {0};
  struct gw_alert_event e = {0};
  bool muted = false;
  if (slot->verdict != GW_AV_OK && slot->verdict != GW_AV_FAIL)
    return GW_OK; /* UNKNOWN says nothing about the site */
  int rc = gw_avail_period(st, slot->site_id, slot->family, slot->slot_at - WEEK, slot->slot_at, &cfg->thresholds,
                           &before);
  if (rc != GW_OK)
    goto done;
  if ((rc = gw_avail_period(st, slot->site_id, slot->family, slot->slot_at - WEEK + 1, slot->slot_at + 1,
                            &cfg->thresholds, &after)) != GW_OK)
    goto done;
  e.site_id = slot->site_id;
  e.site_name = site_name;
  e.url = url;
  e.family = slot->family;
  e.at = slot->slot_at;
  e.reason = slot->reason;
  e.fail_bp = after.fail_bp;
  e.probes = after.probes;
  e.fails = after.fail;
  rc = gw_store_alert_last_of(st, slot->site_id, slot->family, 1u << GW_ALERT_DOWN | 1u << GW_ALERT_RECOVERED,
                              slot->slot_at, &last);
  if (rc != GW_OK && rc != GW_ENOTFOUND)
    goto done;
  bool was_down = rc == GW_OK && last.kind == GW_ALERT_DOWN;
  rc = GW_OK;
  if (slot->verdict == GW_AV_FAIL && !was_down) {
    e.kind = GW_ALERT_DOWN;
    if ((rc = is_muted(st, cfg, &e, &muted)) != GW_OK || (rc = emit(st, cfg, &e, muted, n_alerts)) != GW_OK)
      goto done;
  } else if (slot->verdict == GW_AV_OK && was_down) {
    e.kind = GW_ALERT_RECOVERED;
    e.down_since = last.at;
    if ((rc = emit(st, cfg, &e, last.muted, n_alerts)) != GW_OK)
      goto done;
  }
  if (after.level > before.level) {
    e.kind = after.level == GW_LEVEL_VETO ? GW_ALERT_VETO : GW_ALERT_WARN;
    e.down_since = 0;
    if ((rc = is_muted(st, cfg, &e, &muted)) != GW_OK || (rc = emit(st, cfg, &e, muted, n_alerts)) != GW_OK)
      goto done;
  }
done:
  gw_alert_row_clear(&last);
  gw_avail_figures_clear(&before);
  gw_avail_figures_clear(&after);
  return rc;
}
