/* The checks interaction.channel and interaction.reply (interact.h).
 *
 * Channels are found by what users click (anchor text 信箱, 咨询, 留言...),
 * message lists by the header row of their table (信件标题 with 来信时间),
 * message pages by their labelled dates (来信时间, 回复时间) and 办理状态,
 * so neither depends on the column classification of another check. The
 * Chinese wording users read is kept in the format strings of this file. */
#include "checks/interact.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/links.h"
#include "checks/sitepages.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "core/workday.h"

#define CHANNEL_ANCHOR_MAX 16 /* characters */
#define STATS_LINE_MAX 400    /* bytes of a line that may hold reply statistics */
#define DETAIL_MAX 5          /* messages named in a detail text */

static const char *const g_channel_words[] = {"信箱", "咨询", "留言", "来信", "问政", NULL};
/* V5: 网上信访 and 纪检举报 channels do not count as consultation channels. */
static const char *const g_channel_excluded[] = {"信访", "举报", NULL};
/* V5(2) excludes these columns from the reply rule: 在线访谈, 调查征集,
 * 网上信访, 纪检举报. */
static const char *const g_list_excluded[] = {"信访", "举报", "访谈", "征集", NULL};
static const char *const g_title_heads[] = {"信件标题", "留言标题", "信件主题", "留言主题", "来信标题", "咨询标题",
                                            "问题标题", NULL};
static const char *const g_time_heads[] = {"来信时间", "留言时间", "来信日期", "留言日期", "提问时间", "咨询时间",
                                           NULL};
static const char *const g_reply_heads[] = {"回复时间", "答复时间", "办结时间", "回复日期", "答复日期", "办结日期",
                                            NULL};

static bool has_any(const char *s, size_t len, const char *const *words)
{
  for (size_t i = 0; words[i]; i++) {
    size_t wl = strlen(words[i]);
    for (size_t k = 0; k + wl <= len; k++)
      if (memcmp(s + k, words[i], wl) == 0)
        return true;
  }
  return false;
}

static bool label_in(const char *label, const char *const *words)
{
  for (size_t i = 0; words[i]; i++)
    if (strstr(label, words[i]))
      return true;
  return false;
}

bool gw_interact_is_channel_anchor(const char *anchor)
{
  if (!anchor || !*anchor || gw_sitepages_chars(anchor) > CHANNEL_ANCHOR_MAX)
    return false;
  size_t len = strlen(anchor);
  return has_any(anchor, len, g_channel_words) && !has_any(anchor, len, g_channel_excluded);
}

bool gw_interact_is_message_list(const struct gw_page *p)
{
  const char *s = p->text, *end = p->text + p->text_len;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *le = nl ? nl : end;
    size_t len = (size_t)(le - s);
    if (has_any(s, len, g_title_heads) && has_any(s, len, g_time_heads))
      return true;
    s = le + 1;
  }
  return false;
}

/* "收到 12 件", "受理群众来信12件": a count after a word of receiving. */
static bool count_after(const char *s, size_t len, const char *const *words)
{
  for (size_t i = 0; words[i]; i++) {
    size_t wl = strlen(words[i]);
    for (size_t k = 0; k + wl <= len; k++) {
      if (memcmp(s + k, words[i], wl) != 0)
        continue;
      /* a number within the next 24 bytes, then a measure word */
      for (size_t j = k + wl; j < len && j < k + wl + 24; j++) {
        if (s[j] < '0' || s[j] > '9')
          continue;
        while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == ' '))
          j++;
        static const char *const measure[] = {"件", "条", "封", "个", NULL};
        for (size_t m = 0; measure[m]; m++)
          if (j + strlen(measure[m]) <= len && memcmp(s + j, measure[m], strlen(measure[m])) == 0)
            return true;
        break;
      }
    }
  }
  return false;
}

bool gw_interact_find_stats(const char *text, size_t len, size_t *off, size_t *line_len)
{
  static const char *const received[] = {"收到", "受理", "来信", "留言", NULL};
  static const char *const handled[] = {"办结", "回复", "答复", "办理", NULL};
  const char *s = text, *end = text + len;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *le = nl ? nl : end;
    size_t n = (size_t)(le - s);
    if (n <= STATS_LINE_MAX && count_after(s, n, received) && count_after(s, n, handled)) {
      if (off)
        *off = (size_t)(s - text);
      if (line_len)
        *line_len = n;
      return true;
    }
    s = le + 1;
  }
  return false;
}

void gw_interact_message_read(const struct gw_page *p, struct gw_message_info *out)
{
  memset(out, 0, sizeof *out);
  struct gw_date_iter it;
  struct gw_date_hit h;
  gw_date_extract_iter(&it, p->text, p->text_len, 0);
  while (gw_date_extract_next(&it, &h)) {
    if (!out->has_received && label_in(h.label, g_time_heads)) {
      out->has_received = true;
      out->received = h.time;
    } else if (!out->has_reply && label_in(h.label, g_reply_heads)) {
      out->has_reply = true;
      out->reply = h.time;
    }
  }
  static const char *const heads[] = {"办理状态", "处理状态", "答复状态", "回复状态", "状态", NULL};
  const char *s = p->text, *end = p->text + p->text_len;
  while (s < end && !out->status) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *le = nl ? nl : end;
    size_t n = (size_t)(le - s);
    for (size_t i = 0; heads[i]; i++) {
      size_t hl = strlen(heads[i]);
      if (n < hl || memcmp(s, heads[i], hl) != 0)
        continue;
      static const char *const no[] = {"未回复", "未答复", "待回复", "待答复", "未办结", "办理中", "处理中", "未处理", NULL};
      static const char *const yes[] = {"已回复", "已答复", "已办结", "已处理", "已反馈", NULL};
      if (has_any(s + hl, n - hl, no))
        out->status = -1;
      else if (has_any(s + hl, n - hl, yes))
        out->status = 1;
      break;
    }
    s = le + 1;
  }
}

/* ---- shared pieces ---- */

static json_t *jtime(int64_t t)
{
  char buf[32];
  return json_string(gw_time_format(t, buf, sizeof buf));
}

static int emit(struct gw_check_ctx *ctx, const char *rule, enum gw_severity sev, const char *key, const char *url,
                const char *target, const char *locator, const char *snippet, const char *title, const char *detail,
                json_t *obs)
{
  char *obs_text = obs ? json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)rule;
  f.severity = sev;
  f.key = (char *)key;
  f.url = (char *)url;
  f.target = (char *)target;
  f.locator = (char *)locator;
  f.snippet = (char *)snippet;
  f.title = (char *)title;
  f.detail = (char *)detail;
  f.observed_json = obs_text;
  int rc = gw_check_emit(ctx, &f);
  free(obs_text);
  json_decref(obs);
  return rc;
}

/* The working-day calendar; a missing directory falls back to Mon-Fri
 * (every count then says so), a broken file is an error. */
static int load_calendar(struct gw_workday_cal **out, bool *missing)
{
  *missing = false;
  int rc = gw_workday_cal_load(out, NULL);
  if (rc == GW_ENOTFOUND) {
    gw_err_clear();
    *out = gw_workday_cal_empty();
    *missing = true;
    return GW_OK;
  }
  return rc;
}

/* ---- interaction.channel ---- */

struct cand {
  int64_t to_id;
  char *anchor;
  int64_t from_id;
};

struct cands {
  struct cand *v;
  size_t n, cap;
};

static int on_channel_link(void *ctx, const struct gw_link_row *l)
{
  struct cands *c = ctx;
  if (!gw_str_eq(l->tag, "a") || !gw_interact_is_channel_anchor(l->anchor))
    return 0;
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i].to_id == l->to_id)
      return 0;
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 8;
    c->v = gw_reallocarray(c->v, c->cap, sizeof *c->v);
  }
  c->v[c->n].to_id = l->to_id;
  c->v[c->n].anchor = gw_strdup(l->anchor);
  c->v[c->n].from_id = l->from_id;
  c->n++;
  return 0;
}

static void cands_free(struct cands *c)
{
  for (size_t i = 0; i < c->n; i++)
    free(c->v[i].anchor);
  free(c->v);
  memset(c, 0, sizeof *c);
}

static bool has_form(const struct gw_page *p)
{
  for (size_t i = 0; i < p->n_links; i++)
    if (p->links[i].kind == GW_LINK_FORM)
      return true;
  return false;
}

/* Judge one candidate: *why gets the Chinese reason when not effective. */
static int judge_channel(struct gw_check_view *v, const struct cand *c, bool *effective, struct gw_buf *why,
                         json_t *arr)
{
  struct gw_crawl_url u;
  memset(&u, 0, sizeof u);
  int rc = gw_check_view_url(v, c->to_id, &u);
  if (rc != GW_OK)
    return rc;
  const char *state = "ok";
  *effective = false;
  if (u.state != GW_URL_DONE && u.state != GW_URL_FAILED) {
    state = "not_fetched";
    gw_buf_printf(why, "“%s”（%s）未能抓取，无法确认", c->anchor, u.url);
  } else if (!gw_sitepages_row_ok(&u)) {
    enum gw_link_class cls;
    enum gw_link_reason reason;
    gw_links_classify(&u, &cls, &reason);
    state = "broken";
    gw_buf_printf(why, "“%s”（%s）无法访问：%s", c->anchor, u.url, gw_link_reason_label(reason));
  } else if (u.kind == GW_URL_EXTERNAL) {
    *effective = true; /* a platform elsewhere (e.g. the province's 12345) answered */
  } else {
    const struct gw_page *p = NULL;
    rc = u.parsed ? gw_check_view_page(v, u.id, &p) : GW_ENOTFOUND;
    if (rc == GW_ENOTFOUND) {
      gw_err_clear();
      rc = GW_OK;
      state = "not_html";
      gw_buf_printf(why, "“%s”（%s）不是可用的网页", c->anchor, u.url);
    } else if (rc == GW_OK) {
      if (gw_interact_is_message_list(p) || has_form(p) || p->n_items > 0) {
        *effective = true;
      } else {
        state = "no_content";
        gw_buf_printf(why, "“%s”（%s）页面既无留言列表也无提交表单", c->anchor, u.url);
      }
    }
  }
  if (rc == GW_OK) {
    json_t *o = json_object();
    json_object_set_new(o, "anchor", json_string(c->anchor));
    json_object_set_new(o, "url", json_string(u.url));
    json_object_set_new(o, "status", u.http_status ? json_integer(u.http_status) : json_null());
    json_object_set_new(o, "state", json_string(state));
    json_object_set_new(o, "effective", json_boolean(*effective));
    json_array_append_new(arr, o);
  }
  gw_crawl_url_clear(&u);
  return rc;
}

static int channel_run(struct gw_check_ctx *ctx)
{
  struct gw_sitepages sp;
  int rc = gw_sitepages_collect(ctx->view, &sp);
  if (rc != GW_OK)
    return rc;
  struct cands c;
  memset(&c, 0, sizeof c);
  struct gw_buf why = GW_BUF_INIT, detail = GW_BUF_INIT;
  json_t *arr = json_array();
  bool from_home = true;
  if (sp.home_id)
    rc = gw_check_view_links(ctx->view, sp.home_id, 0, on_channel_link, &c);
  if (rc == GW_OK && c.n == 0) {
    from_home = false; /* not on the homepage: anywhere on the site */
    rc = gw_check_view_links(ctx->view, 0, 0, on_channel_link, &c);
  }
  if (rc != GW_OK)
    goto out;
  size_t effective = 0;
  for (size_t i = 0; i < c.n && rc == GW_OK; i++) {
    bool ok = false;
    size_t before = why.len;
    if (before)
      gw_buf_puts(&why, "；");
    rc = judge_channel(ctx->view, &c.v[i], &ok, &why, arr);
    if (ok) {
      effective++;
      why.len = before; /* nothing to say about a working channel */
      if (why.data)
        why.data[before] = '\0';
    }
  }
  if (rc != GW_OK || effective > 0)
    goto out;
  const char *home = sp.home_url ? sp.home_url : ctx->site->url;
  if (c.n == 0)
    gw_buf_printf(&detail, "全站未发现网上咨询、建议渠道（首页及各页面均无“信箱”“咨询”“留言”“来信”等入口；"
                           "网上信访、纪检举报专门渠道不计入）。");
  else
    gw_buf_printf(&detail, "发现 %zu 个咨询、建议渠道入口，均不可用：%s。", c.n, gw_buf_cstr(&why));
  json_t *obs = json_object();
  json_object_set_new(obs, "candidates", json_incref(arr));
  json_object_set_new(obs, "found_on_homepage", json_boolean(c.n > 0 && from_home));
  json_object_set_new(obs, "words", json_string("信箱,咨询,留言,来信,问政"));
  json_object_set_new(obs, "excluded", json_string("信访,举报"));
  rc = emit(ctx, GW_RULE_INTERACTION_NO_CHANNEL, GW_SEV_VETO, "no_channel", home, NULL, "首页",
            NULL, "无有效的网上咨询、建议渠道", gw_buf_cstr(&detail), obs);
out:
  json_decref(arr);
  gw_buf_free(&why);
  gw_buf_free(&detail);
  cands_free(&c);
  gw_sitepages_free(&sp);
  return rc;
}

static const char *const g_channel_rules[] = {GW_RULE_INTERACTION_NO_CHANNEL, NULL};

const struct gw_check gw_check_interaction_channel = {
  .id = "interaction.channel",
  .title = "互动渠道",
  .summary = "no effective online consultation channel (信箱, 咨询, 留言): none linked, or every one broken or empty",
  .rules = g_channel_rules,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = channel_run,
};

/* ---- interaction.reply ---- */

struct msg {
  char *url;
  char *title;
  bool read;          /* the message page was fetched and read */
  struct gw_message_info info;
  int64_t wd;         /* working days to the reply, -1 if not replied by as_of */
};

struct channel {
  char *name;
  char *url;          /* the first list page seen */
  struct msg *m;
  size_t n, cap;
  bool stats;
  char *stats_line;
  char *stats_url;
};

struct channels {
  struct channel *v;
  size_t n, cap;
};

static void channels_free(struct channels *cs)
{
  for (size_t i = 0; i < cs->n; i++) {
    struct channel *c = &cs->v[i];
    for (size_t k = 0; k < c->n; k++) {
      free(c->m[k].url);
      free(c->m[k].title);
    }
    free(c->m);
    free(c->name);
    free(c->url);
    free(c->stats_line);
    free(c->stats_url);
  }
  free(cs->v);
  memset(cs, 0, sizeof *cs);
}

/* The channel's name: the page title before the site name (局长信箱_青溪县...). */
static char *channel_name(const struct gw_page *p)
{
  const char *t = p->title;
  size_t n = strlen(t);
  static const char *const seps[] = {"_", " - ", "-", "|", "－", "——", NULL};
  for (size_t i = 0; seps[i]; i++) {
    const char *s = strstr(t, seps[i]);
    if (s && s > t && (size_t)(s - t) < n)
      n = (size_t)(s - t);
  }
  return n ? gw_strndup(t, n) : gw_strdup("留言栏目");
}

static struct channel *channel_get(struct channels *cs, const char *name, const char *url)
{
  for (size_t i = 0; i < cs->n; i++)
    if (strcmp(cs->v[i].name, name) == 0)
      return &cs->v[i];
  if (cs->n == cs->cap) {
    cs->cap = cs->cap ? cs->cap * 2 : 4;
    cs->v = gw_reallocarray(cs->v, cs->cap, sizeof *cs->v);
  }
  struct channel *c = &cs->v[cs->n++];
  memset(c, 0, sizeof *c);
  c->name = gw_strdup(name);
  c->url = gw_strdup(url);
  return c;
}

static void channel_add_msg(struct channel *c, const char *url, const char *title)
{
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->m[i].url, url) == 0)
      return;
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 16;
    c->m = gw_reallocarray(c->m, c->cap, sizeof *c->m);
  }
  struct msg *m = &c->m[c->n++];
  memset(m, 0, sizeof *m);
  m->url = gw_strdup(url);
  m->title = gw_strdup(title ? title : "");
  m->wd = -1;
}

static int read_messages(struct gw_check_view *v, struct channel *c)
{
  for (size_t i = 0; i < c->n; i++) {
    struct msg *m = &c->m[i];
    struct gw_crawl_url u;
    memset(&u, 0, sizeof u);
    int rc = gw_sitepages_find(v, m->url, &u);
    if (rc == GW_ENOTFOUND)
      continue;
    if (rc != GW_OK)
      return rc;
    if (gw_sitepages_row_ok(&u) && u.parsed) {
      const struct gw_page *p = NULL;
      rc = gw_check_view_page(v, u.id, &p);
      if (rc == GW_OK) {
        gw_interact_message_read(p, &m->info);
        m->read = true;
      } else if (rc == GW_ENOTFOUND) {
        gw_err_clear();
        rc = GW_OK;
      }
    }
    gw_crawl_url_clear(&u);
    if (rc != GW_OK)
      return rc;
  }
  return GW_OK;
}

struct reply_stats {
  size_t considered;  /* read messages received within the past year */
  size_t answered;
  size_t unanswered;
  double avg;         /* working days over the answered */
  int64_t worst;
  const struct msg *worst_msg;
  int64_t latest_reply;
  bool fallback;      /* some day counted lies outside the calendar data */
};

static json_t *channel_json(const struct channel *c, const struct reply_stats *s, int reply_days, bool cal_missing)
{
  json_t *o = json_object();
  json_object_set_new(o, "channel", json_string(c->name));
  json_object_set_new(o, "channel_url", json_string(c->url));
  json_object_set_new(o, "messages_listed", json_integer((json_int_t)c->n));
  json_object_set_new(o, "messages_past_year", json_integer((json_int_t)s->considered));
  json_object_set_new(o, "answered", json_integer((json_int_t)s->answered));
  json_object_set_new(o, "unanswered", json_integer((json_int_t)s->unanswered));
  json_object_set_new(o, "avg_working_days", s->answered ? json_real((double)(int64_t)(s->avg * 10 + 0.5) / 10)
                                                         : json_null());
  json_object_set_new(o, "worst_working_days", s->answered ? json_integer(s->worst) : json_null());
  json_object_set_new(o, "worst_url", s->worst_msg ? json_string(s->worst_msg->url) : json_null());
  json_object_set_new(o, "latest_reply", s->latest_reply ? jtime(s->latest_reply) : json_null());
  json_object_set_new(o, "reply_working_days", json_integer(reply_days));
  json_object_set_new(o, "reply_working_days_assumed", json_boolean(true));
  json_object_set_new(o, "calendar", json_string(cal_missing ? "missing" : s->fallback ? "partial" : "ok"));
  json_object_set_new(o, "stats_published", json_boolean(c->stats));
  return o;
}

static void calendar_note(struct gw_buf *b, bool cal_missing, bool fallback)
{
  if (cal_missing)
    gw_buf_puts(b, "（未找到节假日数据，工作日按周一至周五计算）");
  else if (fallback)
    gw_buf_puts(b, "（部分日期超出节假日数据范围，按周一至周五计算）");
}

static int judge_channel_replies(struct gw_check_ctx *ctx, const struct channel *c,
                                 const struct gw_workday_cal *cal, bool cal_missing, int reply_days)
{
  int64_t as_of = ctx->as_of;
  int64_t year_ago = gw_time_add_months(as_of, -12);
  int64_t two_months = gw_time_add_months(as_of, -2);
  struct reply_stats s;
  memset(&s, 0, sizeof s);
  struct gw_buf slow = GW_BUF_INIT, untimed = GW_BUF_INIT, b = GW_BUF_INIT, key = GW_BUF_INIT;
  size_t n_slow = 0, n_untimed = 0, n_read = 0;
  double sum = 0;
  int rc = GW_OK;
  struct msg *mv = c->m;
  for (size_t i = 0; i < c->n; i++) {
    struct msg *m = &mv[i];
    if (!m->read)
      continue;
    const struct gw_message_info *in = &m->info;
    if (in->has_received && in->received > as_of)
      continue; /* came in after the inspection time */
    n_read++;
    bool replied = in->has_reply && in->reply <= as_of;
    if (!in->has_received || (in->status > 0 && !in->has_reply)) {
      if (n_untimed < DETAIL_MAX)
        gw_buf_printf(&untimed, "%s《%s》（%s）", n_untimed ? "；" : "", m->title,
                      !in->has_received ? "无来信时间" : "已回复但无回复时间");
      n_untimed++;
    }
    if (replied && (!s.latest_reply || in->reply > s.latest_reply))
      s.latest_reply = in->reply;
    if (!in->has_received || in->received < year_ago)
      continue;
    s.considered++;
    if (replied) {
      m->wd = gw_workday_count(cal, in->received, in->reply, &s.fallback);
      s.answered++;
      sum += (double)m->wd;
      if (!s.worst_msg || m->wd > s.worst) {
        s.worst = m->wd;
        s.worst_msg = m;
      }
      if (m->wd > reply_days) {
        char r0[32], r1[32];
        if (n_slow < DETAIL_MAX)
          gw_buf_printf(&slow, "%s《%s》%s 来信、%s 答复，用时 %lld 个工作日", n_slow ? "；" : "", m->title,
                        gw_time_format(in->received, r0, sizeof r0), gw_time_format(in->reply, r1, sizeof r1),
                        (long long)m->wd);
        n_slow++;
      }
    } else {
      s.unanswered++;
    }
  }
  if (s.answered)
    s.avg = sum / (double)s.answered;

  /* unanswered for more than 3 months: one veto finding per message */
  for (size_t i = 0; i < c->n && rc == GW_OK; i++) {
    const struct msg *m = &mv[i];
    const struct gw_message_info *in = &m->info;
    if (!m->read || !in->has_received || in->received > as_of || in->received < year_ago)
      continue;
    if (in->has_reply && in->reply <= as_of)
      continue;
    if (in->status > 0 && !in->has_reply)
      continue; /* says answered; the missing time is a no_times problem */
    if (gw_time_add_months(in->received, 3) >= as_of)
      continue;
    char r0[32], a0[32];
    int64_t days = (as_of - in->received) / 86400;
    gw_buf_reset(&b);
    gw_buf_printf(&b, "%s来信《%s》于 %s 收到，办理状态“%s”，至监测时间点 %s 已 %lld 天未答复（超过3个月）。",
                  c->name, m->title, gw_time_format(in->received, r0, sizeof r0),
                  in->status < 0 ? "未回复" : in->has_reply ? "监测时间点后才答复" : "未标明",
                  gw_time_format(as_of, a0, sizeof a0), (long long)days);
    json_t *o = channel_json(c, &s, reply_days, cal_missing);
    json_object_set_new(o, "title", json_string(m->title));
    json_object_set_new(o, "received", jtime(in->received));
    json_object_set_new(o, "status", json_string(in->status < 0 ? "未回复" : in->status > 0 ? "已回复" : ""));
    json_object_set_new(o, "reply", in->has_reply ? jtime(in->reply) : json_null());
    json_object_set_new(o, "days_unanswered", json_integer(days));
    gw_buf_reset(&key);
    gw_buf_printf(&key, "unanswered|%s", m->url);
    char loc[256];
    snprintf(loc, sizeof loc, "栏目：%s", c->name);
    rc = emit(ctx, GW_RULE_INTERACTION_UNANSWERED, GW_SEV_VETO, gw_buf_cstr(&key), m->url, c->url, loc, m->title,
              "1年内政务咨询类栏目有效留言超过3个月未答复", gw_buf_cstr(&b), o);
  }
  char loc[256];
  snprintf(loc, sizeof loc, "栏目：%s", c->name);
  if (rc == GW_OK && n_slow > 0) {
    gw_buf_reset(&b);
    gw_buf_printf(&b, "%s近1年 %zu 条已答复留言中有 %zu 条答复用时超过 %d 个工作日（平均 %.1f 个工作日，最长 %lld 个"
                      "工作日）：%s%s。",
                  c->name, s.answered, n_slow, reply_days, s.avg, (long long)s.worst, gw_buf_cstr(&slow),
                  n_slow > DETAIL_MAX ? " 等" : "");
    calendar_note(&b, cal_missing, s.fallback);
    gw_buf_printf(&b, "答复时限 %d 个工作日为本平台默认值（指标未规定），可在配置项 checks.reply_working_days 中调整。",
                  reply_days);
    json_t *o = channel_json(c, &s, reply_days, cal_missing);
    json_object_set_new(o, "slow", json_integer((json_int_t)n_slow));
    gw_buf_reset(&key);
    gw_buf_printf(&key, "slow|%s", c->url);
    rc = emit(ctx, GW_RULE_INTERACTION_REPLIES_STALE, GW_SEV_DEDUCT, gw_buf_cstr(&key), c->url, c->url, loc, NULL,
              "留言答复不及时", gw_buf_cstr(&b), o);
  }
  /* S5: replies not updated in the 2 months before the check point */
  if (rc == GW_OK && n_read > 0 && (!s.latest_reply || s.latest_reply < two_months)) {
    char r0[32];
    gw_buf_reset(&b);
    if (s.latest_reply)
      gw_buf_printf(&b, "%s最近一次答复在 %s，监测时间点前2个月内无新的留言答复。", c->name,
                    gw_time_format(s.latest_reply, r0, sizeof r0));
    else
      gw_buf_printf(&b, "%s监测时间点前收到的 %zu 条留言均未答复，2个月内无留言答复。", c->name, n_read);
    json_t *o = channel_json(c, &s, reply_days, cal_missing);
    gw_buf_reset(&key);
    gw_buf_printf(&key, "idle|%s", c->url);
    rc = emit(ctx, GW_RULE_INTERACTION_REPLIES_STALE, GW_SEV_DEDUCT, gw_buf_cstr(&key), c->url, c->url, loc, NULL,
              "留言答复2个月内未更新", gw_buf_cstr(&b), o);
  }
  if (rc == GW_OK && n_untimed > 0) {
    gw_buf_reset(&b);
    gw_buf_printf(&b, "%s有 %zu 条留言未显示留言时间或答复时间：%s%s。", c->name, n_untimed, gw_buf_cstr(&untimed),
                  n_untimed > DETAIL_MAX ? " 等" : "");
    json_t *o = channel_json(c, &s, reply_days, cal_missing);
    json_object_set_new(o, "without_times", json_integer((json_int_t)n_untimed));
    gw_buf_reset(&key);
    gw_buf_printf(&key, "no_times|%s", c->url);
    rc = emit(ctx, GW_RULE_INTERACTION_NO_TIMES, GW_SEV_DEDUCT, gw_buf_cstr(&key), c->url, c->url, loc, NULL,
              "留言未显示留言时间和答复时间", gw_buf_cstr(&b), o);
  }
  gw_buf_free(&slow);
  gw_buf_free(&untimed);
  gw_buf_free(&b);
  gw_buf_free(&key);
  return rc;
}

static int reply_days_of(const struct gw_check_ctx *ctx)
{
  if (ctx->config && ctx->config->reply_working_days > 0)
    return (int)ctx->config->reply_working_days;
  return GW_INTERACT_REPLY_DAYS_DEFAULT;
}

static bool title_says_stats(const char *t)
{
  return t && (strstr(t, "统计") || strstr(t, "办理情况") || strstr(t, "受理情况"));
}

static int reply_run(struct gw_check_ctx *ctx)
{
  struct gw_sitepages sp;
  int rc = gw_sitepages_collect(ctx->view, &sp);
  if (rc != GW_OK)
    return rc;
  struct channels cs;
  memset(&cs, 0, sizeof cs);
  struct gw_workday_cal *cal = NULL;
  bool cal_missing = false;
  char *stats_url = NULL, *stats_line = NULL;
  rc = load_calendar(&cal, &cal_missing);
  if (rc != GW_OK)
    goto out;
  for (size_t i = 0; i < sp.n && rc == GW_OK; i++) {
    const struct gw_page *p = NULL;
    rc = gw_check_view_page(ctx->view, sp.v[i].id, &p);
    if (rc == GW_ENOTFOUND) {
      gw_err_clear();
      rc = GW_OK;
      continue;
    }
    if (rc != GW_OK)
      break;
    bool list = gw_interact_is_message_list(p);
    size_t off = 0, len = 0;
    bool st = (list || title_says_stats(p->title)) && gw_interact_find_stats(p->text, p->text_len, &off, &len);
    if (st && !stats_url) {
      stats_url = gw_strdup(sp.v[i].url);
      stats_line = gw_strndup(p->text + off, len);
    }
    if (!list)
      continue;
    char *name = channel_name(p);
    if (has_any(name, strlen(name), g_list_excluded)) {
      free(name); /* V5: not a consultation column */
      continue;
    }
    struct channel *c = channel_get(&cs, name, sp.v[i].url);
    free(name);
    if (st && !c->stats) {
      c->stats = true;
      c->stats_line = gw_strndup(p->text + off, len);
      c->stats_url = gw_strdup(sp.v[i].url);
    }
    for (size_t k = 0; k < p->n_items; k++)
      if (p->items[k].url)
        channel_add_msg(c, p->items[k].url, p->items[k].title);
  }
  for (size_t i = 0; i < cs.n && rc == GW_OK; i++)
    rc = read_messages(ctx->view, &cs.v[i]);
  int reply_days = reply_days_of(ctx);
  for (size_t i = 0; i < cs.n && rc == GW_OK; i++)
    rc = judge_channel_replies(ctx, &cs.v[i], cal, cal_missing, reply_days);
  if (rc == GW_OK && cs.n > 0 && !stats_url) {
    struct gw_buf b = GW_BUF_INIT, names = GW_BUF_INIT;
    json_t *arr = json_array();
    for (size_t i = 0; i < cs.n; i++) {
      gw_buf_printf(&names, "%s%s", i ? "、" : "", cs.v[i].name);
      json_t *o = json_object();
      json_object_set_new(o, "channel", json_string(cs.v[i].name));
      json_object_set_new(o, "channel_url", json_string(cs.v[i].url));
      json_object_set_new(o, "messages_listed", json_integer((json_int_t)cs.v[i].n));
      json_array_append_new(arr, o);
    }
    gw_buf_printf(&b, "网站有留言栏目（%s），但留言列表页及统计页面均未公开留言受理、答复情况统计数据"
                      "（如“共收到来信 N 件，已办结 M 件”）。",
                  gw_buf_cstr(&names));
    json_t *obs = json_object();
    json_object_set_new(obs, "channels", arr);
    rc = emit(ctx, GW_RULE_INTERACTION_NO_STATS, GW_SEV_DEDUCT, "no_stats", cs.v[0].url, NULL, NULL, NULL,
              "未公开留言受理反馈情况统计数据", gw_buf_cstr(&b), obs);
    gw_buf_free(&b);
    gw_buf_free(&names);
  }
out:
  free(stats_url);
  free(stats_line);
  gw_workday_cal_free(&cal);
  channels_free(&cs);
  gw_sitepages_free(&sp);
  return rc;
}

static const char *const g_reply_rules[] = {GW_RULE_INTERACTION_UNANSWERED, GW_RULE_INTERACTION_REPLIES_STALE,
                                            GW_RULE_INTERACTION_NO_TIMES, GW_RULE_INTERACTION_NO_STATS, NULL};

const struct gw_check gw_check_interaction_reply = {
  .id = "interaction.reply",
  .title = "留言办理",
  .summary = "messages unanswered over 3 months (veto), slow or idle replies, messages without times, "
             "no published reply statistics; per-channel average and worst reply time",
  .rules = g_reply_rules,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = reply_run,
};
