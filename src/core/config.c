#include "core/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/alloc.h"
#include "core/error.h"

void gw_config_defaults(struct gw_config *out)
{
  memset(out, 0, sizeof *out);
  out->db = gw_strdup("govwatch.db");
  out->log_level = GW_LOG_WARN;
  out->user_agent = gw_strdup("GovWatch/0.1 (government website inspection)");
  out->timeout_s = 15;
  out->connect_timeout_s = 10;
  out->concurrency = 16;
  out->per_host = 2;
  out->interval_ms = 250;
  out->attempts = 3;
  out->retry_base_ms = 1000;
  out->host_pause_ms = 30000;
  out->max_body = 10LL << 20;
  out->mapped_only = false;
  out->max_pages = 100000;
  out->max_depth = 0;
  out->calendar_depth = 12;
  out->query_variants = 1000;
  out->links_per_page = 2000;
  out->obey_robots = false;
  out->reply_working_days = 5;
  out->keep_documents = true;
  struct gw_config_monitor *m = &out->monitor;
  m->probes_per_day = 24;
  m->ipv4 = m->ipv6 = true;
  m->timeout_s = 15;
  m->net_window_s = 900;
  m->net_min_sites = 3;
  m->catchup_s = 86400;
  m->warn_bp = 300;
  m->veto_bp = 500;
  m->alert_mute_s = 3600;
  m->crawl = true;
  m->crawl_at_min = 120;
  m->job_attempts = 3;
  m->probe_workers = 4;
}

static void alerts_free(struct gw_config_monitor *m)
{
  for (size_t i = 0; i < m->n_alerts; i++) {
    struct gw_config_alert *a = &m->alerts[i];
    free(a->type);
    free(a->url);
    free(a->from);
    gw_strv_free(&a->to);
    free(a->user);
    free(a->password);
  }
  free(m->alerts);
  m->alerts = NULL;
  m->n_alerts = 0;
}

void gw_config_clear(struct gw_config *c)
{
  free(c->path);
  free(c->db);
  free(c->user_agent);
  free(c->dict_dir);
  free(c->confusion_dir);
  free(c->freq_dict);
  gw_strv_free(&c->connect_to);
  gw_strv_free(&c->alias_hosts);
  gw_strv_free(&c->alias_names);
  gw_strv_free(&c->monitor.control_urls);
  alerts_free(&c->monitor);
  free(c->monitor.listen);
  memset(c, 0, sizeof *c);
}

/* ---- walking the YAML document ------------------------------------------ */

struct ctx {
  const char *name; /* the input's name, for messages */
  yaml_document_t *doc;
  struct gw_config *cfg;
};

/* Values quoted in messages are cut so that one absurd line cannot push the
 * place and the reason out of the message buffer. */
#define QUOTE_MAX 120

__attribute__((format(printf, 3, 4)))
static int node_err(const struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
  char what[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return gw_err_set(GW_EPARSE, "%s:%zu:%zu: %s", c->name, (size_t)n->start_mark.line + 1,
                    (size_t)n->start_mark.column + 1, what);
}

static const char *node_kind(const yaml_node_t *n)
{
  switch (n->type) {
  case YAML_MAPPING_NODE: return "a mapping";
  case YAML_SEQUENCE_NODE: return "a list";
  default: return "a single value";
  }
}

/* A plain empty, "~" or "null" scalar: YAML's null. "network:" with every
 * entry commented out is null, and means "no settings" rather than an error. */
static bool is_null(const yaml_node_t *n)
{
  if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  const char *v = (const char *)n->data.scalar.value;
  return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
         strcmp(v, "NULL") == 0;
}

static int scalar(const struct ctx *c, const yaml_node_t *n, const char *key, const char **out)
{
  if (n->type != YAML_SCALAR_NODE)
    return node_err(c, n, "'%s' must be a single value, not %s", key, node_kind(n));
  /* libyaml keeps NUL bytes from escapes such as "\0"; a C string would
   * silently cut the value there. */
  if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
    return node_err(c, n, "'%s' contains a NUL character", key);
  *out = (const char *)n->data.scalar.value;
  return GW_OK;
}

static int set_string(const struct ctx *c, const yaml_node_t *n, const char *key, char **dst)
{
  const char *v = NULL;
  int rc = scalar(c, n, key, &v);
  if (rc)
    return rc;
  if (!*v)
    return node_err(c, n, "'%s' must not be empty", key);
  free(*dst);
  *dst = gw_strdup(v);
  return GW_OK;
}

/* Keys of one mapping, checked for type and duplicates: YAML lets a later
 * "db:" silently replace an earlier one, which hides editing mistakes. */
static int mapping_key(const struct ctx *c, const yaml_node_t *map, const yaml_node_pair_t *p,
                       const char *prefix, const char **out)
{
  yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
  if (k->type != YAML_SCALAR_NODE)
    return node_err(c, k, "a key%s%s must be a single word, not %s", *prefix ? " in " : "", prefix,
                    node_kind(k));
  const char *key = (const char *)k->data.scalar.value;
  for (const yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
    yaml_node_t *prev = yaml_document_get_node(c->doc, q->key);
    if (prev->type == YAML_SCALAR_NODE && strcmp((const char *)prev->data.scalar.value, key) == 0)
      return node_err(c, k, "duplicate key '%s%s%.*s' (first at line %zu)", prefix, *prefix ? "." : "",
                      QUOTE_MAX, key, (size_t)prev->start_mark.line + 1);
  }
  *out = key;
  return GW_OK;
}

static bool port_ok(const char *s, size_t n)
{
  if (n == 0)
    return true; /* empty = any port / the request's port */
  if (n > 5)
    return false;
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  return v >= 1 && v <= 65535;
}

static bool host_ok(const char *s, size_t n)
{
  if (n >= 2 && s[0] == '[')
    return s[n - 1] == ']'; /* IPv6 literal, checked by curl */
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch <= ' ' || ch == '[' || ch == ']' || ch == '/' || ch == 0x7F)
      return false;
  }
  return true;
}

/* curl's --connect-to syntax: HOST:PORT:CONNECT_HOST:CONNECT_PORT, any part
 * may be empty, an IPv6 address is written in brackets. Checked here so a
 * typo is reported against the file rather than ignored by curl later. */
static int check_connect_to(const struct ctx *c, const yaml_node_t *n, const char *s)
{
  const char *part[4];
  size_t len[4];
  const char *p = s;
  int i = 0;
  for (; i < 4; i++) {
    part[i] = p;
    if (*p == '[') {
      const char *close = strchr(p, ']');
      if (!close)
        goto bad;
      p = close + 1;
    }
    while (*p && *p != ':')
      p++;
    len[i] = (size_t)(p - part[i]);
    if (i < 3) {
      if (*p != ':')
        goto bad;
      p++;
    }
  }
  if (*p)
    goto bad;
  if (!host_ok(part[0], len[0]))
    return node_err(c, n, "network.connect_to item '%.*s': host '%.*s' is not a host name or address", QUOTE_MAX,
                    s, (int)len[0], part[0]);
  if (!port_ok(part[1], len[1]))
    return node_err(c, n, "network.connect_to item '%.*s': port '%.*s' is not a number from 1 to 65535",
                    QUOTE_MAX, s, (int)len[1], part[1]);
  if (!host_ok(part[2], len[2]))
    return node_err(c, n, "network.connect_to item '%.*s': host '%.*s' is not a host name or address", QUOTE_MAX,
                    s, (int)len[2], part[2]);
  if (!port_ok(part[3], len[3]))
    return node_err(c, n, "network.connect_to item '%.*s': port '%.*s' is not a number from 1 to 65535",
                    QUOTE_MAX, s, (int)len[3], part[3]);
  return GW_OK;
bad:
  return node_err(c, n,
                  "network.connect_to item '%.*s' is not HOST:PORT:CONNECT_HOST:CONNECT_PORT "
                  "(for example www.example.gov.cn:80:127.0.0.1:8080)",
                  QUOTE_MAX, s);
}

static int load_connect_to(const struct ctx *c, yaml_node_t *v)
{
  if (is_null(v)) {
    gw_strv_free(&c->cfg->connect_to);
    return GW_OK;
  }
  if (v->type != YAML_SEQUENCE_NODE)
    return node_err(c, v, "'network.connect_to' must be a list, not %s", node_kind(v));
  gw_strv_free(&c->cfg->connect_to);
  for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
    const char *s = NULL;
    yaml_node_t *e = yaml_document_get_node(c->doc, *it);
    int rc = scalar(c, e, "network.connect_to item", &s);
    if (rc)
      return rc;
    rc = check_connect_to(c, e, s);
    if (rc)
      return rc;
    gw_strv_push(&c->cfg->connect_to, s);
  }
  return GW_OK;
}

/* A whole number in [min, max] for `key`. `unit` (", seconds") goes into the
 * message so it says what the number counts. */
static int set_number(const struct ctx *c, const yaml_node_t *v, const char *key, long long min, long long max,
                      const char *unit, long long *out)
{
  const char *s = NULL;
  int64_t t = 0;
  int rc = scalar(c, v, key, &s);
  if (rc)
    return rc;
  if (gw_parse_i64(s, &t) || t < min || t > max)
    return node_err(c, v, "%s '%.*s' must be a whole number%s from %lld to %lld", key, QUOTE_MAX, s, unit, min,
                    max);
  *out = t;
  return GW_OK;
}

static int set_long(const struct ctx *c, const yaml_node_t *v, const char *key, long min, long max,
                    const char *unit, long *out)
{
  long long t = 0;
  int rc = set_number(c, v, key, min, max, unit, &t);
  if (!rc)
    *out = (long)t;
  return rc;
}

/* YAML 1.1 booleans as people write them; anything else is a mistake. */
static int set_bool(const struct ctx *c, const yaml_node_t *v, const char *key, bool *out)
{
  const char *s = NULL;
  int rc = scalar(c, v, key, &s);
  if (rc)
    return rc;
  static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
  static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    if (strcmp(s, yes[i]) == 0) {
      *out = true;
      return GW_OK;
    }
    if (strcmp(s, no[i]) == 0) {
      *out = false;
      return GW_OK;
    }
  }
  return node_err(c, v, "%s '%.*s' must be true or false", key, QUOTE_MAX, s);
}

static int load_network(const struct ctx *c, yaml_node_t *map)
{
  if (is_null(map))
    return GW_OK;
  if (map->type != YAML_MAPPING_NODE)
    return node_err(c, map, "'network' must be a mapping of keys to values, not %s", node_kind(map));
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    int rc = mapping_key(c, map, p, "network", &key);
    if (rc)
      return rc;
    if (strcmp(key, "connect_to") == 0) {
      rc = load_connect_to(c, v);
    } else if (strcmp(key, "user_agent") == 0) {
      rc = set_string(c, v, "network.user_agent", &c->cfg->user_agent);
    } else if (strcmp(key, "timeout") == 0) {
      const char *s = NULL;
      int64_t t = 0;
      rc = scalar(c, v, "network.timeout", &s);
      if (!rc && (gw_parse_i64(s, &t) || t < 1 || t > 3600))
        rc = node_err(c, v, "network.timeout '%.*s' must be a whole number of seconds from 1 to 3600",
                      QUOTE_MAX, s);
      if (!rc)
        c->cfg->timeout_s = (long)t;
    } else if (strcmp(key, "connect_timeout") == 0) {
      rc = set_long(c, v, "network.connect_timeout", 1, 3600, " of seconds", &c->cfg->connect_timeout_s);
    } else if (strcmp(key, "concurrency") == 0) {
      rc = set_long(c, v, "network.concurrency", 1, 1024, "", &c->cfg->concurrency);
    } else if (strcmp(key, "per_host") == 0) {
      rc = set_long(c, v, "network.per_host", 1, 256, "", &c->cfg->per_host);
    } else if (strcmp(key, "interval_ms") == 0) {
      rc = set_long(c, v, "network.interval_ms", 0, 600000, " of milliseconds", &c->cfg->interval_ms);
    } else if (strcmp(key, "attempts") == 0) {
      rc = set_long(c, v, "network.attempts", 1, 10, "", &c->cfg->attempts);
    } else if (strcmp(key, "retry_base_ms") == 0) {
      rc = set_long(c, v, "network.retry_base_ms", 1, 600000, " of milliseconds", &c->cfg->retry_base_ms);
    } else if (strcmp(key, "host_pause_ms") == 0) {
      rc = set_long(c, v, "network.host_pause_ms", 0, 3600000, " of milliseconds", &c->cfg->host_pause_ms);
    } else if (strcmp(key, "max_body") == 0) {
      rc = set_number(c, v, "network.max_body", 1024, 1LL << 30, " of bytes", &c->cfg->max_body);
    } else if (strcmp(key, "mapped_only") == 0) {
      rc = set_bool(c, v, "network.mapped_only", &c->cfg->mapped_only);
    } else {
      yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
      rc = node_err(c, k,
                    "unknown key 'network.%.*s' (known: connect_to, user_agent, timeout, connect_timeout, "
                    "concurrency, per_host, interval_ms, attempts, retry_base_ms, host_pause_ms, max_body, "
                    "mapped_only)",
                    QUOTE_MAX, key);
    }
    if (rc)
      return rc;
  }
  return GW_OK;
}

/* crawl.aliases: {site-host: [alias, ...]} (a single alias may be written
 * without the list). */
static int load_aliases(const struct ctx *c, yaml_node_t *map)
{
  gw_strv_free(&c->cfg->alias_hosts);
  gw_strv_free(&c->cfg->alias_names);
  if (is_null(map))
    return GW_OK;
  if (map->type != YAML_MAPPING_NODE)
    return node_err(c, map, "'crawl.aliases' must be a mapping of site hosts to lists of host names, not %s",
                    node_kind(map));
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    const char *host = NULL;
    int rc = mapping_key(c, map, p, "crawl.aliases", &host);
    if (rc)
      return rc;
    yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
    if (!*host || !host_ok(host, strlen(host)))
      return node_err(c, k, "crawl.aliases: '%.*s' is not a host name", QUOTE_MAX, host);
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    yaml_node_item_t one = p->value, *start = &one, *top = &one + 1;
    if (v->type == YAML_SEQUENCE_NODE) {
      start = v->data.sequence.items.start;
      top = v->data.sequence.items.top;
    }
    for (yaml_node_item_t *it = start; it < top; it++) {
      yaml_node_t *e = yaml_document_get_node(c->doc, *it);
      const char *s = NULL;
      rc = scalar(c, e, "crawl.aliases item", &s);
      if (rc)
        return rc;
      if (!*s || !host_ok(s, strlen(s)))
        return node_err(c, e, "crawl.aliases of '%.*s': '%.*s' is not a host name", QUOTE_MAX, host, QUOTE_MAX, s);
      gw_strv_push(&c->cfg->alias_hosts, host);
      gw_strv_push(&c->cfg->alias_names, s);
    }
  }
  return GW_OK;
}

static int load_crawl(const struct ctx *c, yaml_node_t *map)
{
  if (is_null(map))
    return GW_OK;
  if (map->type != YAML_MAPPING_NODE)
    return node_err(c, map, "'crawl' must be a mapping of keys to values, not %s", node_kind(map));
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    int rc = mapping_key(c, map, p, "crawl", &key);
    if (rc)
      return rc;
    if (strcmp(key, "max_pages") == 0) {
      rc = set_long(c, v, "crawl.max_pages", 1, 10000000, "", &c->cfg->max_pages);
    } else if (strcmp(key, "max_depth") == 0) {
      rc = set_long(c, v, "crawl.max_depth", 0, 100000, "", &c->cfg->max_depth);
    } else if (strcmp(key, "calendar_depth") == 0) {
      rc = set_long(c, v, "crawl.calendar_depth", 1, 1000, "", &c->cfg->calendar_depth);
    } else if (strcmp(key, "query_variants") == 0) {
      rc = set_long(c, v, "crawl.query_variants", 1, 1000000, "", &c->cfg->query_variants);
    } else if (strcmp(key, "links_per_page") == 0) {
      rc = set_long(c, v, "crawl.links_per_page", 1, 100000, "", &c->cfg->links_per_page);
    } else if (strcmp(key, "obey_robots") == 0) {
      rc = set_bool(c, v, "crawl.obey_robots", &c->cfg->obey_robots);
    } else if (strcmp(key, "keep_documents") == 0) {
      rc = set_bool(c, v, "crawl.keep_documents", &c->cfg->keep_documents);
    } else if (strcmp(key, "parse_threads") == 0) {
      rc = set_long(c, v, "crawl.parse_threads", 0, 64, "", &c->cfg->parse_threads);
    } else if (strcmp(key, "aliases") == 0) {
      rc = load_aliases(c, v);
    } else {
      yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
      rc = node_err(c, k,
                    "unknown key 'crawl.%.*s' (known: max_pages, max_depth, calendar_depth, query_variants, "
                    "links_per_page, obey_robots, keep_documents, parse_threads, aliases)",
                    QUOTE_MAX, key);
    }
    if (rc)
      return rc;
  }
  return GW_OK;
}

static int load_content(const struct ctx *c, yaml_node_t *map)
{
  if (is_null(map))
    return GW_OK;
  if (map->type != YAML_MAPPING_NODE)
    return node_err(c, map, "'content' must be a mapping of keys to values, not %s", node_kind(map));
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    int rc = mapping_key(c, map, p, "content", &key);
    if (rc)
      return rc;
    if (strcmp(key, "dict_dir") == 0) {
      rc = set_string(c, v, "content.dict_dir", &c->cfg->dict_dir);
    } else if (strcmp(key, "confusion_dir") == 0) {
      rc = set_string(c, v, "content.confusion_dir", &c->cfg->confusion_dir);
    } else if (strcmp(key, "freq_dict") == 0) {
      rc = set_string(c, v, "content.freq_dict", &c->cfg->freq_dict);
    } else {
      yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
      rc = node_err(c, k, "unknown key 'content.%.*s' (known: dict_dir, confusion_dir, freq_dict)", QUOTE_MAX,
                    key);
    }
    if (rc)
      return rc;
  }
  return GW_OK;
}

static int load_checks(const struct ctx *c, yaml_node_t *map)
{
  if (is_null(map))
    return GW_OK;
  if (map->type != YAML_MAPPING_NODE)
    return node_err(c, map, "'checks' must be a mapping of keys to values, not %s", node_kind(map));
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    int rc = mapping_key(c, map, p, "checks", &key);
    if (rc)
      return rc;
    if (strcmp(key, "reply_working_days") == 0) {
      rc = set_long(c, v, "checks.reply_working_days", 1, 365, "", &c->cfg->reply_working_days);
    } else {
      yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
      rc = node_err(c, k, "unknown key 'checks.%.*s' (known: reply_working_days)", QUOTE_MAX, key);
    }
    if (rc)
      return rc;
  }
  return GW_OK;
}

/* ---- monitor --------------------------------------------------------- */

static bool is_http_url(const char *s)
{
  return (strncmp(s, "http://", 7) == 0 && s[7]) || (strncmp(s, "https://", 8) == 0 && s[8]);
}

/* A percentage with at most two decimals ("5", "2.5", "0.75") in basis
 * points, 1..10000. Floating point is avoided so "5" is exactly 500. */
static int set_percent(const struct ctx *c, const yaml_node_t *v, const char *key, int *out)
{
  const char *s = NULL;
  int rc = scalar(c, v, key, &s);
  if (rc)
    return rc;
  long bp = 0;
  const char *p = s;
  int digits = 0, decimals = 0;
  for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
    bp = bp * 10 + (*p - '0');
  if (digits && *p == '.') {
    for (p++; *p >= '0' && *p <= '9' && decimals < 2; p++, decimals++)
      bp = bp * 10 + (*p - '0');
    if (!decimals)
      digits = 0;
  }
  for (; decimals < 2; decimals++)
    bp *= 10;
  if (!digits || *p || bp < 1 || bp > 10000)
    return node_err(c, v, "%s '%.*s' must be a percentage from 0.01 to 100 with at most two decimals", key,
                    QUOTE_MAX, s);
  *out = (int)bp;
  return GW_OK;
}

/* "HH:MM" (Shanghai) as minutes after midnight. */
static int set_clock(const struct ctx *c, const yaml_node_t *v, const char *key, int *out)
{
  const char *s = NULL;
  int rc = scalar(c, v, key, &s);
  if (rc)
    return rc;
  if (strlen(s) == 5 && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' && s[3] >= '0' &&
      s[3] <= '5' && s[4] >= '0' && s[4] <= '9') {
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    if (h < 24) {
      *out = h * 60 + (s[3] - '0') * 10 + (s[4] - '0');
      return GW_OK;
    }
  }
  return node_err(c, v, "%s '%.*s' must be a time of day HH:MM from 00:00 to 23:59 (Asia/Shanghai)", key, QUOTE_MAX,
                  s);
}

/* "ADDR:PORT" for the metrics endpoint: an IPv4 address, "[IPv6]" or
 * "localhost", and a port 1..65535. Host names other than localhost are
 * refused: the endpoint binds an address, it does not resolve names. */
static int set_listen(const struct ctx *c, const yaml_node_t *v, const char *key, char **dst)
{
  const char *s = NULL;
  int rc = scalar(c, v, key, &s);
  if (rc)
    return rc;
  if (gw_config_check_listen(s) != GW_OK)
    return node_err(c, v, "%s: %s", key, gw_err_msg());
  free(*dst);
  *dst = gw_strdup(s);
  return GW_OK;
}

static int load_urls(const struct ctx *c, yaml_node_t *v, const char *key, struct gw_strv *dst)
{
  gw_strv_free(dst);
  if (is_null(v))
    return GW_OK;
  if (v->type != YAML_SEQUENCE_NODE)
    return node_err(c, v, "'%s' must be a list of URLs, not %s", key, node_kind(v));
  for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
    yaml_node_t *e = yaml_document_get_node(c->doc, *it);
    const char *s = NULL;
    int rc = scalar(c, e, key, &s);
    if (rc)
      return rc;
    if (!is_http_url(s))
      return node_err(c, e, "%s item '%.*s' is not an http:// or https:// URL", key, QUOTE_MAX, s);
    gw_strv_push(dst, s);
  }
  return GW_OK;
}

static int load_alert(const struct ctx *c, yaml_node_t *map, struct gw_config_alert *a)
{
  if (map->type != YAML_MAPPING_NODE)
    return node_err(c, map, "a monitor.alerts item must be a mapping (type, url, ...), not %s", node_kind(map));
  int rc = GW_OK;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top && !rc; p++) {
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    if ((rc = mapping_key(c, map, p, "monitor.alerts", &key)))
      return rc;
    if (strcmp(key, "type") == 0) {
      const char *s = NULL;
      if (!(rc = scalar(c, v, "monitor.alerts type", &s))) {
        if (strcmp(s, "json") && strcmp(s, "dingtalk") && strcmp(s, "wecom") && strcmp(s, "smtp"))
          rc = node_err(c, v, "monitor.alerts type '%.*s' must be json, dingtalk, wecom or smtp", QUOTE_MAX, s);
        else {
          free(a->type);
          a->type = gw_strdup(s);
        }
      }
    } else if (strcmp(key, "url") == 0) {
      rc = set_string(c, v, "monitor.alerts url", &a->url);
    } else if (strcmp(key, "from") == 0) {
      rc = set_string(c, v, "monitor.alerts from", &a->from);
    } else if (strcmp(key, "to") == 0) {
      gw_strv_free(&a->to);
      yaml_node_item_t one = p->value, *start = &one, *top = &one + 1;
      if (v->type == YAML_SEQUENCE_NODE) {
        start = v->data.sequence.items.start;
        top = v->data.sequence.items.top;
      }
      for (yaml_node_item_t *it = start; it < top && !rc; it++) {
        yaml_node_t *e = yaml_document_get_node(c->doc, *it);
        const char *s = NULL;
        if (!(rc = scalar(c, e, "monitor.alerts to", &s))) {
          if (!strchr(s, '@') || strpbrk(s, " <>\r\n"))
            rc = node_err(c, e, "monitor.alerts to '%.*s' is not an e-mail address", QUOTE_MAX, s);
          else
            gw_strv_push(&a->to, s);
        }
      }
    } else if (strcmp(key, "user") == 0) {
      rc = set_string(c, v, "monitor.alerts user", &a->user);
    } else if (strcmp(key, "password") == 0) {
      rc = set_string(c, v, "monitor.alerts password", &a->password);
    } else {
      yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
      rc = node_err(c, k, "unknown key 'monitor.alerts.%.*s' (known: type, url, from, to, user, password)",
                    QUOTE_MAX, key);
    }
  }
  if (rc)
    return rc;
  if (!a->type)
    return node_err(c, map, "a monitor.alerts item needs a type (json, dingtalk, wecom or smtp)");
  if (!a->url)
    return node_err(c, map, "monitor.alerts %s item needs a url", a->type);
  bool smtp = strcmp(a->type, "smtp") == 0;
  if (smtp && strncmp(a->url, "smtp://", 7) != 0 && strncmp(a->url, "smtps://", 8) != 0)
    return node_err(c, map, "monitor.alerts smtp url '%.*s' must start with smtp:// or smtps://", QUOTE_MAX, a->url);
  if (!smtp && !is_http_url(a->url))
    return node_err(c, map, "monitor.alerts %s url '%.*s' must start with http:// or https://", a->type, QUOTE_MAX,
                    a->url);
  if (smtp && (!a->from || !a->to.n))
    return node_err(c, map, "monitor.alerts smtp item needs from and to");
  if (!smtp && (a->from || a->to.n || a->user || a->password))
    return node_err(c, map, "monitor.alerts %s item: from, to, user and password are for smtp only", a->type);
  return GW_OK;
}

static int load_alerts(const struct ctx *c, yaml_node_t *v)
{
  struct gw_config_monitor *m = &c->cfg->monitor;
  alerts_free(m);
  if (is_null(v))
    return GW_OK;
  if (v->type != YAML_SEQUENCE_NODE)
    return node_err(c, v, "'monitor.alerts' must be a list of channels, not %s", node_kind(v));
  size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
  m->alerts = gw_calloc(n ? n : 1, sizeof *m->alerts);
  for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
    struct gw_config_alert *a = &m->alerts[m->n_alerts++];
    int rc = load_alert(c, yaml_document_get_node(c->doc, *it), a);
    if (rc)
      return rc;
  }
  return GW_OK;
}

static int load_monitor(const struct ctx *c, yaml_node_t *map)
{
  if (is_null(map))
    return GW_OK;
  if (map->type != YAML_MAPPING_NODE)
    return node_err(c, map, "'monitor' must be a mapping of keys to values, not %s", node_kind(map));
  struct gw_config_monitor *m = &c->cfg->monitor;
  const yaml_node_t *warn_node = NULL;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    int rc = mapping_key(c, map, p, "monitor", &key);
    if (rc)
      return rc;
    if (strcmp(key, "probes_per_day") == 0) {
      rc = set_long(c, v, "monitor.probes_per_day", 1, 1440, "", &m->probes_per_day);
    } else if (strcmp(key, "ipv4") == 0) {
      rc = set_bool(c, v, "monitor.ipv4", &m->ipv4);
    } else if (strcmp(key, "ipv6") == 0) {
      rc = set_bool(c, v, "monitor.ipv6", &m->ipv6);
    } else if (strcmp(key, "seed") == 0) {
      rc = set_number(c, v, "monitor.seed", 0, INT64_MAX, "", &m->seed);
    } else if (strcmp(key, "timeout") == 0) {
      rc = set_long(c, v, "monitor.timeout", 1, 3600, " of seconds", &m->timeout_s);
    } else if (strcmp(key, "control_urls") == 0) {
      rc = load_urls(c, v, "monitor.control_urls", &m->control_urls);
    } else if (strcmp(key, "net_window") == 0) {
      rc = set_long(c, v, "monitor.net_window", 0, 86400, " of seconds", &m->net_window_s);
    } else if (strcmp(key, "net_min_sites") == 0) {
      rc = set_long(c, v, "monitor.net_min_sites", 1, 100000, "", &m->net_min_sites);
    } else if (strcmp(key, "catchup") == 0) {
      rc = set_long(c, v, "monitor.catchup", 0, 604800, " of seconds", &m->catchup_s);
    } else if (strcmp(key, "warn_percent") == 0) {
      rc = set_percent(c, v, "monitor.warn_percent", &m->warn_bp);
      warn_node = v;
    } else if (strcmp(key, "veto_percent") == 0) {
      rc = set_percent(c, v, "monitor.veto_percent", &m->veto_bp);
      if (!warn_node)
        warn_node = v;
    } else if (strcmp(key, "alert_mute") == 0) {
      rc = set_long(c, v, "monitor.alert_mute", 0, 2592000, " of seconds", &m->alert_mute_s);
    } else if (strcmp(key, "alerts") == 0) {
      rc = load_alerts(c, v);
    } else if (strcmp(key, "listen") == 0) {
      rc = set_listen(c, v, "monitor.listen", &m->listen);
    } else if (strcmp(key, "crawl") == 0) {
      rc = set_bool(c, v, "monitor.crawl", &m->crawl);
    } else if (strcmp(key, "crawl_at") == 0) {
      rc = set_clock(c, v, "monitor.crawl_at", &m->crawl_at_min);
    } else if (strcmp(key, "inspection") == 0) {
      rc = set_bool(c, v, "monitor.inspection", &m->inspection);
    } else if (strcmp(key, "job_attempts") == 0) {
      rc = set_long(c, v, "monitor.job_attempts", 1, 100, "", &m->job_attempts);
    } else if (strcmp(key, "probe_workers") == 0) {
      rc = set_long(c, v, "monitor.probe_workers", 1, 64, "", &m->probe_workers);
    } else {
      yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
      rc = node_err(c, k,
                    "unknown key 'monitor.%.*s' (known: probes_per_day, ipv4, ipv6, seed, timeout, control_urls, "
                    "net_window, net_min_sites, catchup, warn_percent, veto_percent, alert_mute, alerts, listen, "
                    "crawl, crawl_at, inspection, job_attempts, probe_workers)",
                    QUOTE_MAX, key);
    }
    if (rc)
      return rc;
  }
  if (!m->ipv4 && !m->ipv6)
    return node_err(c, map, "monitor: ipv4 and ipv6 are both false; at least one family must be probed");
  if (warn_node && m->warn_bp >= m->veto_bp)
    return node_err(c, warn_node, "monitor.warn_percent (%d.%02d) must be below monitor.veto_percent (%d.%02d)",
                    m->warn_bp / 100, m->warn_bp % 100, m->veto_bp / 100, m->veto_bp % 100);
  return GW_OK;
}

int gw_config_check_listen(const char *s)
{
  const char *colon = NULL;
  if (s[0] == '[') {
    const char *close = strchr(s, ']');
    if (!close || close[1] != ':' || close == s + 1)
      return gw_err_set(GW_EINVAL, "'%.*s' is not ADDR:PORT ([IPv6]:PORT needs the brackets)", QUOTE_MAX, s);
    for (const char *p = s + 1; p < close; p++)
      if (!strchr("0123456789abcdefABCDEF:.", *p))
        return gw_err_set(GW_EINVAL, "'%.*s': '%.*s' is not an IPv6 address", QUOTE_MAX, s, (int)(close - s - 1),
                          s + 1);
    colon = close + 1;
  } else {
    colon = strrchr(s, ':');
    if (!colon || colon == s)
      return gw_err_set(GW_EINVAL, "'%.*s' is not ADDR:PORT (for example 127.0.0.1:9464)", QUOTE_MAX, s);
    size_t n = (size_t)(colon - s);
    bool ipv4 = true;
    int dots = 0;
    for (size_t i = 0; i < n; i++) {
      if (s[i] == '.')
        dots++;
      else if (s[i] < '0' || s[i] > '9')
        ipv4 = false;
    }
    if (!(ipv4 && dots == 3) && !(n == 9 && strncmp(s, "localhost", 9) == 0))
      return gw_err_set(GW_EINVAL, "'%.*s': '%.*s' is not an IPv4 address, [IPv6] or localhost", QUOTE_MAX, s,
                        (int)n, s);
  }
  if (!port_ok(colon + 1, strlen(colon + 1)) || !colon[1])
    return gw_err_set(GW_EINVAL, "'%.*s': port '%s' is not a number from 1 to 65535", QUOTE_MAX, s, colon + 1);
  return GW_OK;
}

static int load_root(const struct ctx *c, yaml_node_t *root)
{
  if (!root || is_null(root))
    return GW_OK; /* an empty file or only comments: defaults */
  if (root->type != YAML_MAPPING_NODE)
    return node_err(c, root, "the configuration must be a mapping of keys to values, not %s", node_kind(root));
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    int rc = mapping_key(c, root, p, "", &key);
    if (rc)
      return rc;
    if (strcmp(key, "db") == 0) {
      rc = set_string(c, v, key, &c->cfg->db);
    } else if (strcmp(key, "log_level") == 0) {
      const char *s = NULL;
      rc = scalar(c, v, key, &s);
      if (!rc && gw_log_parse_level(s, &c->cfg->log_level))
        rc = node_err(c, v, "log_level: %s", gw_err_msg());
    } else if (strcmp(key, "network") == 0) {
      rc = load_network(c, v);
    } else if (strcmp(key, "crawl") == 0) {
      rc = load_crawl(c, v);
    } else if (strcmp(key, "checks") == 0) {
      rc = load_checks(c, v);
    } else if (strcmp(key, "content") == 0) {
      rc = load_content(c, v);
    } else if (strcmp(key, "monitor") == 0) {
      rc = load_monitor(c, v);
    } else {
      yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
      rc = node_err(c, k, "unknown key '%.*s' (known: db, log_level, network, crawl, checks, content, monitor)",
                    QUOTE_MAX, key);
    }
    if (rc)
      return rc;
  }
  return GW_OK;
}

static int yaml_err(const char *name, const yaml_parser_t *parser)
{
  const char *problem = parser->problem ? parser->problem : "malformed YAML";
  /* The reader (encoding) stage knows only a byte offset, not a line. */
  if (parser->error == YAML_READER_ERROR)
    return gw_err_set(GW_EPARSE, "%s: byte %zu: %s (the configuration must be UTF-8 text)", name,
                      parser->problem_offset + 1, problem);
  const yaml_mark_t *m = &parser->problem_mark;
  if (parser->context)
    return gw_err_set(GW_EPARSE, "%s:%zu:%zu: YAML syntax error: %s (%s that started at line %zu)", name,
                      (size_t)m->line + 1, (size_t)m->column + 1, problem, parser->context,
                      (size_t)parser->context_mark.line + 1);
  return gw_err_set(GW_EPARSE, "%s:%zu:%zu: YAML syntax error: %s", name, (size_t)m->line + 1,
                    (size_t)m->column + 1, problem);
}

int gw_config_parse(const char *name, const char *data, size_t len, struct gw_config *out)
{
  if (!name)
    name = "configuration";
  if (len > GW_CONFIG_MAX_BYTES)
    return gw_err_set(GW_ELIMIT, "%s: configuration is larger than %u bytes", name, GW_CONFIG_MAX_BYTES);

  struct gw_config cfg;
  gw_config_defaults(&cfg);
  yaml_parser_t parser;
  yaml_document_t doc, extra;
  bool have_doc = false;
  int rc = GW_OK;

  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
  if (!yaml_parser_load(&parser, &doc)) {
    rc = yaml_err(name, &parser); /* libyaml has freed the partial document */
    goto out;
  }
  have_doc = true;
  struct ctx c = {name, &doc, &cfg};
  rc = load_root(&c, yaml_document_get_root_node(&doc));
  if (rc)
    goto out;
  /* A second document ("---") would be ignored silently; refuse it. */
  if (!yaml_parser_load(&parser, &extra)) {
    rc = yaml_err(name, &parser);
    goto out;
  }
  yaml_node_t *second = yaml_document_get_root_node(&extra);
  if (second)
    rc = gw_err_set(GW_EPARSE, "%s:%zu: a second YAML document; the configuration must be one document", name,
                    (size_t)extra.start_mark.line + 1);
  yaml_document_delete(&extra);

out:
  if (have_doc)
    yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  if (rc) {
    gw_config_clear(&cfg);
    return rc;
  }
  *out = cfg;
  return GW_OK;
}

/* ---- files ------------------------------------------------------------ */

static bool file_exists(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return false;
  fclose(f);
  return true;
}

int gw_config_load(const char *path, struct gw_config *out)
{
  if (!path) {
    const char *env = getenv("GOVWATCH_CONFIG");
    if (env && *env)
      path = env;
    else if (file_exists("govwatch.yaml"))
      path = "govwatch.yaml";
  }
  if (!path) {
    gw_config_defaults(out);
    return GW_OK;
  }

  int rc = GW_OK;
  char *data = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) {
    rc = gw_err_set(errno == ENOENT ? GW_ENOTFOUND : GW_EIO, "%s: cannot open configuration: %s", path,
                    strerror(errno));
    goto out;
  }
  /* Read one byte past the cap to tell "exactly at the cap" from "over". */
  data = gw_malloc(GW_CONFIG_MAX_BYTES + 1);
  size_t len = fread(data, 1, GW_CONFIG_MAX_BYTES + 1, f);
  if (ferror(f)) {
    rc = gw_err_set(GW_EIO, "%s: cannot read configuration: %s", path, strerror(errno));
    goto out;
  }
  if (len > GW_CONFIG_MAX_BYTES) {
    rc = gw_err_set(GW_ELIMIT, "%s: configuration is larger than %u bytes", path, GW_CONFIG_MAX_BYTES);
    goto out;
  }
  struct gw_config cfg;
  rc = gw_config_parse(path, data, len, &cfg);
  if (rc)
    goto out;
  cfg.path = gw_strdup(path);
  *out = cfg;

out:
  if (f)
    fclose(f);
  free(data);
  return rc;
}
