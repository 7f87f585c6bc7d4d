#include "core/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/alloc.h"
#include "core/error.h"

#define CONFIG_MAX_BYTES (1u << 20)

static int fopen_exists(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  fclose(f);
  return 1;
}

void gw_config_defaults(struct gw_config *out)
{
  memset(out, 0, sizeof *out);
  out->db = gw_strdup("govwatch.db");
  out->log_level = GW_LOG_WARN;
  out->user_agent = gw_strdup("GovWatch/0.1 (government website inspection)");
  out->timeout_s = 15;
}

void gw_config_clear(struct gw_config *c)
{
  free(c->path);
  free(c->db);
  free(c->user_agent);
  gw_strv_free(&c->connect_to);
  memset(c, 0, sizeof *c);
}

struct ctx {
  const char *path;
  yaml_document_t *doc;
  struct gw_config *cfg;
};

__attribute__((format(printf, 3, 4)))
static int node_err(const struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return gw_err_set(GW_EPARSE, "%s:%zu: %s", c->path, (size_t)n->start_mark.line + 1, what);
}

static int scalar(const struct ctx *c, const yaml_node_t *n, const char *key, const char **out)
{
  if (n->type != YAML_SCALAR_NODE)
    return node_err(c, n, "'%s' must be a single value", key);
  *out = (const char *)n->data.scalar.value;
  return GW_OK;
}

static int set_string(const struct ctx *c, const yaml_node_t *n, const char *key, char **dst)
{
  const char *v = NULL;
  int rc = scalar(c, n, key, &v);
  if (rc)
    return rc;
  free(*dst);
  *dst = gw_strdup(v);
  return GW_OK;
}

static int load_network(const struct ctx *c, yaml_node_t *map)
{
  if (map->type != YAML_MAPPING_NODE)
    return node_err(c, map, "'%s' must be a mapping", "network");
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    int rc = scalar(c, k, "key", &key);
    if (rc)
      return rc;
    if (strcmp(key, "connect_to") == 0) {
      if (v->type != YAML_SEQUENCE_NODE)
        return node_err(c, v, "'network.%s' must be a list", key);
      gw_strv_free(&c->cfg->connect_to);
      for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const char *s = NULL;
        yaml_node_t *e = yaml_document_get_node(c->doc, *it);
        rc = scalar(c, e, "network.connect_to item", &s);
        if (rc)
          return rc;
        /* HOST:PORT:CONNECT_HOST:CONNECT_PORT, as curl's --connect-to */
        int colons = 0;
        for (const char *q = s; *q; q++)
          colons += *q == ':';
        if (colons < 3)
          return node_err(c, e, "network.connect_to item '%s' is not HOST:PORT:CONNECT_HOST:CONNECT_PORT", s);
        gw_strv_push(&c->cfg->connect_to, s);
      }
    } else if (strcmp(key, "user_agent") == 0) {
      rc = set_string(c, v, "network.user_agent", &c->cfg->user_agent);
      if (rc)
        return rc;
    } else if (strcmp(key, "timeout") == 0) {
      const char *s = NULL;
      rc = scalar(c, v, "network.timeout", &s);
      if (rc)
        return rc;
      char *end;
      errno = 0;
      long t = strtol(s, &end, 10);
      if (errno || *end || t < 1 || t > 3600)
        return node_err(c, v, "network.timeout '%s' must be a number of seconds from 1 to 3600", s);
      c->cfg->timeout_s = t;
    } else {
      return node_err(c, k, "unknown key 'network.%s' (known: connect_to, user_agent, timeout)", key);
    }
  }
  return GW_OK;
}

static int load_root(const struct ctx *c, yaml_node_t *root)
{
  if (!root)
    return GW_OK; /* an empty file: defaults */
  if (root->type != YAML_MAPPING_NODE)
    return node_err(c, root, "%s", "the configuration must be a mapping of keys to values");
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
    yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
    const char *key = NULL;
    int rc = scalar(c, k, "key", &key);
    if (rc)
      return rc;
    if (strcmp(key, "db") == 0) {
      rc = set_string(c, v, key, &c->cfg->db);
    } else if (strcmp(key, "log_level") == 0) {
      const char *s = NULL;
      rc = scalar(c, v, key, &s);
      if (!rc && gw_log_parse_level(s, &c->cfg->log_level))
        rc = node_err(c, v, "%s", gw_err_msg());
    } else if (strcmp(key, "network") == 0) {
      rc = load_network(c, v);
    } else {
      rc = node_err(c, k, "unknown key '%s' (known: db, log_level, network)", key);
    }
    if (rc)
      return rc;
  }
  return GW_OK;
}

int gw_config_load(const char *path, struct gw_config *out)
{
  struct gw_config cfg;
  gw_config_defaults(&cfg);
  if (!path) {
    const char *env = getenv("GOVWATCH_CONFIG");
    if (env && *env)
      path = env;
    else if (fopen_exists("govwatch.yaml"))
      path = "govwatch.yaml";
  }
  if (!path) {
    *out = cfg;
    return GW_OK;
  }

  int rc = GW_OK;
  FILE *f = fopen(path, "rb");
  if (!f) {
    rc = gw_err_set(GW_EIO, "%s: cannot open configuration: %s", path, strerror(errno));
    goto out;
  }
  char *data = gw_malloc(CONFIG_MAX_BYTES + 1);
  size_t len = fread(data, 1, CONFIG_MAX_BYTES + 1, f);
  fclose(f);
  if (len > CONFIG_MAX_BYTES) {
    free(data);
    rc = gw_err_set(GW_ELIMIT, "%s: configuration larger than %u bytes", path, CONFIG_MAX_BYTES);
    goto out;
  }

  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
  if (!yaml_parser_load(&parser, &doc)) {
    rc = gw_err_set(GW_EPARSE, "%s:%zu:%zu: %s", path, (size_t)parser.problem_mark.line + 1,
                    (size_t)parser.problem_mark.column + 1, parser.problem ? parser.problem : "YAML syntax error");
    yaml_parser_delete(&parser);
    free(data);
    goto out;
  }
  struct ctx c = {path, &doc, &cfg};
  rc = load_root(&c, yaml_document_get_root_node(&doc));
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  free(data);
  if (!rc)
    cfg.path = gw_strdup(path);

out:
  if (rc) {
    gw_config_clear(&cfg);
    return rc;
  }
  *out = cfg;
  return GW_OK;
}
