#include "core/config.h"

#include <errno.h>
#include <stdarg.h>
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
    } else {
      yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
      rc = node_err(c, k, "unknown key '%.*s' (known: db, log_level, network, crawl, checks, content)", QUOTE_MAX, key);
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
