/* robots.txt parsing and matching (RFC 9309). */
#include "fetch/robots.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "fetch/url.h"

/* Lines longer than this are cut: a pattern that long matches nothing real. */
#define LINE_MAX_BYTES 4096
/* Rules kept per file; a robots.txt with more is an accident or an attack. */
#define MAX_RULES 2000

static bool ieq_n(const char *a, size_t an, const char *b)
{
  size_t bn = strlen(b);
  if (an != bn)
    return false;
  for (size_t i = 0; i < an; i++)
    if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
      return false;
  return true;
}

static void trim(const char **s, size_t *len)
{
  while (*len && (**s == ' ' || **s == '\t')) {
    (*s)++;
    (*len)--;
  }
  while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\r'))
    (*len)--;
}

/* Does a user-agent line's value name our product token? RFC 9309 2.2.1:
 * the product token is matched case-insensitively; crawlers commonly also
 * accept the value as a prefix ("GovWatch/1.0" names GovWatch). */
static bool agent_matches(const char *v, size_t vl, const char *agent)
{
  size_t al = strlen(agent);
  if (!al || vl < al)
    return false;
  for (size_t i = 0; i < al; i++)
    if (tolower((unsigned char)v[i]) != tolower((unsigned char)agent[i]))
      return false;
  return vl == al || v[al] == '/' || v[al] == ' ';
}

struct group_state {
  bool in_agents;   /* reading the user-agent lines that open a group */
  bool mine;        /* the current group names our token */
  bool star;        /* the current group names "*" */
};

struct parse {
  struct gw_robots *out;
  struct gw_robots_rule *star_rules, *my_rules;
  size_t n_star, n_my;
  double star_delay, my_delay;
};

static void add_rule(struct gw_robots_rule **v, size_t *n, bool allow, const char *p, size_t len)
{
  if (*n >= MAX_RULES)
    return;
  *v = gw_reallocarray(*v, *n + 1, sizeof **v);
  (*v)[*n].allow = allow;
  (*v)[*n].pattern = gw_url_pct_normalize(p, len);
  (*n)++;
}

static bool parse_delay(const char *v, size_t vl, double *out)
{
  char buf[32];
  if (!vl || vl >= sizeof buf)
    return false;
  memcpy(buf, v, vl);
  buf[vl] = '\0';
  char *end = NULL;
  double d = strtod(buf, &end);
  if (end == buf || *end || !(d >= 0) || d > 1e7)
    return false;
  *out = d;
  return true;
}

void gw_robots_parse(const char *data, size_t len, const char *agent, struct gw_robots *out)
{
  memset(out, 0, sizeof *out);
  out->crawl_delay = -1;
  struct parse ps = {out, NULL, NULL, 0, 0, -1, -1};
  struct group_state g = {false, false, false};
  bool any_mine = false, any_star = false;
  if (len > GW_ROBOTS_MAX_BYTES) {
    len = GW_ROBOTS_MAX_BYTES;
    out->truncated = true;
  }
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    data += 3;
    len -= 3;
  }
  const char *p = data, *end = data + len;
  while (p < end) {
    const char *nl = p;
    while (nl < end && *nl != '\n' && *nl != '\r')
      nl++;
    const char *line = p;
    size_t ll = (size_t)(nl - p);
    p = nl;
    if (p < end && *p == '\r')
      p++;
    if (p < end && *p == '\n')
      p++;
    out->lines++;
    if (ll > LINE_MAX_BYTES)
      ll = LINE_MAX_BYTES;
    const char *hash = memchr(line, '#', ll);
    if (hash)
      ll = (size_t)(hash - line);
    trim(&line, &ll);
    if (!ll)
      continue;
    const char *colon = memchr(line, ':', ll);
    if (!colon) {
      out->bad_lines++;
      continue;
    }
    const char *k = line, *v = colon + 1;
    size_t kl = (size_t)(colon - line), vl = ll - kl - 1;
    trim(&k, &kl);
    trim(&v, &vl);
    if (ieq_n(k, kl, "user-agent")) {
      if (!g.in_agents) {
        out->groups++;
        g.in_agents = true;
        g.mine = g.star = false;
      }
      if (vl == 1 && *v == '*')
        g.star = true;
      else if (agent_matches(v, vl, agent))
        g.mine = true;
      any_mine |= g.mine;
      any_star |= g.star;
      continue;
    }
    if (ieq_n(k, kl, "sitemap")) {
      /* not part of any group */
      if (vl && out->sitemaps.n < 1000) {
        char *s = gw_strndup(v, vl);
        gw_strv_push_owned(&out->sitemaps, s);
      }
      continue;
    }
    bool allow = ieq_n(k, kl, "allow");
    bool disallow = ieq_n(k, kl, "disallow");
    bool delay = ieq_n(k, kl, "crawl-delay");
    if (!allow && !disallow && !delay) {
      if (g.in_agents)
        g.in_agents = false; /* an unknown key still ends the agent lines */
      continue;
    }
    g.in_agents = false;
    if (!g.mine && !g.star)
      continue; /* a rule outside any group, or of another crawler's */
    if (delay) {
      double d;
      if (parse_delay(v, vl, &d)) {
        if (g.mine && d > ps.my_delay)
          ps.my_delay = d;
        if (g.star && d > ps.star_delay)
          ps.star_delay = d;
      } else {
        out->bad_lines++;
      }
      continue;
    }
    /* "Disallow:" with no path allows everything: no rule. */
    if (!vl)
      continue;
    if (g.mine)
      add_rule(&ps.my_rules, &ps.n_my, allow, v, vl);
    if (g.star)
      add_rule(&ps.star_rules, &ps.n_star, allow, v, vl);
  }
  if (any_mine) {
    out->specific = true;
    out->rules = ps.my_rules;
    out->n_rules = ps.n_my;
    out->crawl_delay = ps.my_delay;
    ps.my_rules = NULL;
  } else if (any_star) {
    out->rules = ps.star_rules;
    out->n_rules = ps.n_star;
    out->crawl_delay = ps.star_delay;
    ps.star_rules = NULL;
  }
  for (size_t i = 0; ps.my_rules && i < ps.n_my; i++)
    free(ps.my_rules[i].pattern);
  free(ps.my_rules);
  for (size_t i = 0; ps.star_rules && i < ps.n_star; i++)
    free(ps.star_rules[i].pattern);
  free(ps.star_rules);
}

/* Match pattern (with '*' and a final '$') against the start of s. Iterative
 * with one back-track point per '*', so hostile patterns stay linear-ish. */
static bool pattern_match(const char *pat, const char *s)
{
  const char *star = NULL, *star_s = NULL;
  for (;;) {
    if (*pat == '$' && pat[1] == '\0') {
      if (*s == '\0')
        return true;
    } else if (*pat == '\0') {
      return true; /* a prefix match */
    } else if (*pat == '*') {
      while (*pat == '*')
        pat++;
      star = pat;
      star_s = s;
      continue;
    } else if (*s && *pat == *s) {
      pat++;
      s++;
      continue;
    }
    if (!star || !*star_s)
      return false;
    pat = star;
    s = ++star_s;
  }
}

bool gw_robots_allowed(const struct gw_robots *r, const char *path_and_query)
{
  if (strcmp(path_and_query, "/robots.txt") == 0)
    return true;
  size_t best = 0;
  bool found = false, allow = true;
  for (size_t i = 0; i < r->n_rules; i++) {
    const struct gw_robots_rule *rule = &r->rules[i];
    size_t pl = strlen(rule->pattern);
    if (found && pl < best)
      continue;
    if (!pattern_match(rule->pattern, path_and_query))
      continue;
    if (!found || pl > best || (pl == best && rule->allow)) {
      best = pl;
      allow = rule->allow;
      found = true;
    }
  }
  return allow;
}

long gw_robots_delay_ms(const struct gw_robots *r)
{
  if (r->crawl_delay <= 0)
    return 0;
  double d = r->crawl_delay > GW_ROBOTS_MAX_DELAY ? GW_ROBOTS_MAX_DELAY : r->crawl_delay;
  return (long)(d * 1000.0 + 0.5);
}

void gw_robots_agent_token(const char *user_agent, char *buf, size_t size)
{
  size_t n = strcspn(user_agent ? user_agent : "", "/ \t");
  if (n >= size)
    n = size - 1;
  memcpy(buf, user_agent ? user_agent : "", n);
  buf[n] = '\0';
}

void gw_robots_free(struct gw_robots *r)
{
  for (size_t i = 0; i < r->n_rules; i++)
    free(r->rules[i].pattern);
  free(r->rules);
  gw_strv_free(&r->sitemaps);
  memset(r, 0, sizeof *r);
  r->crawl_delay = -1;
}
