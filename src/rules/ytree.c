#include "rules/ytree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/alloc.h"
#include "core/error.h"

/* ---- arena ---------------------------------------------------------------- */

#define YA_BLOCK 65536

struct yblk {
  struct yblk *next;
  size_t used, size;
  max_align_t data[];
};

void *ya_alloc(struct yarena *a, size_t n)
{
  n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  if (n == 0)
    n = sizeof(max_align_t);
  struct yblk *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t size = n > YA_BLOCK ? n : YA_BLOCK;
    b = gw_malloc(sizeof *b + size);
    b->used = 0;
    b->size = size;
    /* A big one-off block goes behind the current one so the current
     * block's free space stays usable. */
    if (a->head && n > YA_BLOCK) {
      b->next = a->head->next;
      a->head->next = b;
    } else {
      b->next = a->head;
      a->head = b;
    }
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

const char *ya_strdup(struct yarena *a, const char *s)
{
  size_t n = strlen(s) + 1;
  char *d = ya_alloc(a, n);
  memcpy(d, s, n);
  return d;
}

void ya_free(struct yarena *a)
{
  struct yblk *b = a->head;
  while (b) {
    struct yblk *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

/* ---- sorted key index (duplicates and look-ups in O(n log n)) ------------ */

struct kref {
  const char *key;
  size_t line;
  size_t i;
};

static int kref_cmp(const void *pa, const void *pb)
{
  const struct kref *a = pa, *b = pb;
  int c = strcmp(a->key, b->key);
  if (c)
    return c;
  return a->i < b->i ? -1 : a->i > b->i;
}

static const struct kref *kref_find(const struct kref *v, size_t n, const char *key)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(v[mid].key, key);
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && strcmp(v[lo].key, key) == 0 ? &v[lo] : NULL;
}

/* ---- YAML to tree --------------------------------------------------------- */

struct conv {
  struct yarena *a;
  const char *name; /* arena copy */
  int layer;
  yaml_document_t *doc;
  unsigned char *seen;
  size_t n_nodes;
};

static bool plain_null(const yaml_node_t *n)
{
  if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  const char *v = (const char *)n->data.scalar.value;
  return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
         strcmp(v, "NULL") == 0;
}

static size_t mark_line(const yaml_node_t *n)
{
  return (size_t)n->start_mark.line + 1;
}

static int conv_node(struct conv *c, int idx, int depth, struct ynode **out);

static int conv_map(struct conv *c, yaml_node_t *n, struct ynode *y, int depth)
{
  size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
  y->ents = ya_alloc(c->a, count * sizeof *y->ents + 1);
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
    if (!k)
      return gw_err_set(GW_EPARSE, "%s:%zu: malformed mapping", c->name, mark_line(n));
    if (k->type != YAML_SCALAR_NODE)
      return gw_err_set(GW_EPARSE, "%s:%zu: a key must be a single word, not %s", c->name, mark_line(k),
                        k->type == YAML_MAPPING_NODE ? "a mapping" : "a list");
    if (strlen((const char *)k->data.scalar.value) != k->data.scalar.length)
      return gw_err_set(GW_EPARSE, "%s:%zu: a key contains a NUL character", c->name, mark_line(k));
    if (k->data.scalar.length == 0)
      return gw_err_set(GW_EPARSE, "%s:%zu: empty key", c->name, mark_line(k));
    struct yentry *e = &y->ents[y->n];
    e->key = ya_strdup(c->a, (const char *)k->data.scalar.value);
    e->key_line = mark_line(k);
    int rc = conv_node(c, p->value, depth + 1, &e->val);
    if (rc)
      return rc;
    y->n++;
  }
  /* YAML lets a later key silently replace an earlier one, which hides
   * editing mistakes: refuse duplicates. */
  if (y->n > 1) {
    struct kref *v = gw_malloc(y->n * sizeof *v);
    for (size_t i = 0; i < y->n; i++)
      v[i] = (struct kref){y->ents[i].key, y->ents[i].key_line, i};
    qsort(v, y->n, sizeof *v, kref_cmp);
    int rc = GW_OK;
    for (size_t i = 1; i < y->n && !rc; i++)
      if (strcmp(v[i - 1].key, v[i].key) == 0)
        rc = gw_err_set(GW_EPARSE, "%s:%zu: duplicate key '%.100s' (first at line %zu)", c->name, v[i].line,
                        v[i].key, v[i - 1].line);
    free(v);
    if (rc)
      return rc;
  }
  return GW_OK;
}

static int conv_node(struct conv *c, int idx, int depth, struct ynode **out)
{
  yaml_node_t *n = yaml_document_get_node(c->doc, idx);
  if (!n)
    return gw_err_set(GW_EPARSE, "%s: malformed YAML document", c->name);
  if (depth > YT_MAX_DEPTH)
    return gw_err_set(GW_ELIMIT, "%s:%zu: values nested deeper than %d levels", c->name, mark_line(n),
                      YT_MAX_DEPTH);
  size_t at = (size_t)(n - c->doc->nodes.start);
  if (at < c->n_nodes) {
    if (c->seen[at])
      return gw_err_set(GW_EPARSE,
                        "%s:%zu: this value is used again through an alias (*name); aliases are not "
                        "supported in rule files, write the value out",
                        c->name, mark_line(n));
    c->seen[at] = 1;
  }
  struct ynode *y = ya_alloc(c->a, sizeof *y);
  y->file = c->name;
  y->line = mark_line(n);
  y->layer = c->layer;
  switch (n->type) {
  case YAML_SCALAR_NODE:
    if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
      return gw_err_set(GW_EPARSE, "%s:%zu: a value contains a NUL character", c->name, y->line);
    if (plain_null(n)) {
      y->kind = Y_NULL;
    } else {
      y->kind = Y_SCALAR;
      y->s = ya_strdup(c->a, (const char *)n->data.scalar.value);
    }
    break;
  case YAML_SEQUENCE_NODE: {
    y->kind = Y_SEQ;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    y->items = ya_alloc(c->a, count * sizeof *y->items + 1);
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
      int rc = conv_node(c, *it, depth + 1, &y->items[y->n]);
      if (rc)
        return rc;
      y->n++;
    }
    break;
  }
  case YAML_MAPPING_NODE: {
    y->kind = Y_MAP;
    int rc = conv_map(c, n, y, depth);
    if (rc)
      return rc;
    break;
  }
  default:
    return gw_err_set(GW_EPARSE, "%s:%zu: malformed YAML node", c->name, y->line);
  }
  *out = y;
  return GW_OK;
}

static int yaml_err(const char *name, const yaml_parser_t *p)
{
  const char *problem = p->problem ? p->problem : "malformed YAML";
  if (p->error == YAML_READER_ERROR)
    return gw_err_set(GW_EPARSE, "%s: byte %zu: %s (rule files must be UTF-8 text)", name,
                      p->problem_offset + 1, problem);
  if (p->context)
    return gw_err_set(GW_EPARSE, "%s:%zu: YAML syntax error: %s (%s that started at line %zu)", name,
                      (size_t)p->problem_mark.line + 1, problem, p->context, (size_t)p->context_mark.line + 1);
  return gw_err_set(GW_EPARSE, "%s:%zu: YAML syntax error: %s", name, (size_t)p->problem_mark.line + 1, problem);
}

int yt_parse(struct yarena *a, const char *name, const char *data, size_t len, int layer, struct ynode **out)
{
  yaml_parser_t parser;
  yaml_document_t doc, extra;
  bool have_doc = false;
  unsigned char *seen = NULL;
  struct ynode *root = NULL;
  int rc = GW_OK;

  name = ya_strdup(a, name);
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
  if (!yaml_parser_load(&parser, &doc)) {
    rc = yaml_err(name, &parser);
    goto out;
  }
  have_doc = true;
  size_t n_nodes = (size_t)(doc.nodes.top - doc.nodes.start);
  if (n_nodes > YT_MAX_NODES) {
    rc = gw_err_set(GW_ELIMIT, "%s: more than %d YAML values; a rule file has a few hundred", name, YT_MAX_NODES);
    goto out;
  }
  yaml_node_t *r = yaml_document_get_root_node(&doc);
  if (!r) {
    root = ya_alloc(a, sizeof *root);
    root->kind = Y_NULL;
    root->file = name;
    root->line = 1;
    root->layer = layer;
  } else {
    seen = gw_calloc(n_nodes + 1, 1);
    struct conv c = {a, name, layer, &doc, seen, n_nodes};
    rc = conv_node(&c, (int)(r - doc.nodes.start) + 1, 0, &root);
    if (rc)
      goto out;
  }
  /* A second document ("---") would be ignored silently; refuse it. */
  if (!yaml_parser_load(&parser, &extra)) {
    rc = yaml_err(name, &parser);
    goto out;
  }
  if (yaml_document_get_root_node(&extra))
    rc = gw_err_set(GW_EPARSE, "%s:%zu: a second YAML document; a rule file is one document", name,
                    (size_t)extra.start_mark.line + 1);
  yaml_document_delete(&extra);

out:
  free(seen);
  if (have_doc)
    yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  if (rc)
    return rc;
  *out = root;
  return GW_OK;
}

/* ---- look-ups ------------------------------------------------------------- */

const struct yentry *yt_entry(const struct ynode *map, const char *key)
{
  if (!map || map->kind != Y_MAP)
    return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->ents[i].key, key) == 0)
      return &map->ents[i];
  return NULL;
}

struct ynode *yt_get(const struct ynode *map, const char *key)
{
  const struct yentry *e = yt_entry(map, key);
  return e ? e->val : NULL;
}

/* ---- merge ---------------------------------------------------------------- */

static const char *entry_id(const struct ynode *n)
{
  const struct ynode *id = yt_get(n, "id");
  return id && id->kind == Y_SCALAR ? id->s : NULL;
}

static bool id_list(const struct ynode *seq)
{
  for (size_t i = 0; i < seq->n; i++)
    if (seq->items[i]->kind != Y_MAP || !entry_id(seq->items[i]))
      return false;
  return true;
}

static struct kref *index_map(const struct ynode *map)
{
  struct kref *v = gw_malloc((map->n + 1) * sizeof *v);
  for (size_t i = 0; i < map->n; i++)
    v[i] = (struct kref){map->ents[i].key, map->ents[i].key_line, i};
  qsort(v, map->n, sizeof *v, kref_cmp);
  return v;
}

static struct kref *index_ids(const struct ynode *seq)
{
  struct kref *v = gw_malloc((seq->n + 1) * sizeof *v);
  for (size_t i = 0; i < seq->n; i++)
    v[i] = (struct kref){entry_id(seq->items[i]), seq->items[i]->line, i};
  qsort(v, seq->n, sizeof *v, kref_cmp);
  return v;
}

static int merge_maps(struct yarena *a, struct ynode *base, struct ynode *over, struct ynode **out)
{
  struct ynode *res = ya_alloc(a, sizeof *res);
  *res = *over;
  res->ents = ya_alloc(a, (base->n + over->n) * sizeof *res->ents + 1);
  res->n = 0;
  struct kref *ob = index_map(over);
  unsigned char *used = gw_calloc(over->n + 1, 1);
  int rc = GW_OK;
  for (size_t i = 0; i < base->n && !rc; i++) {
    const struct kref *k = kref_find(ob, over->n, base->ents[i].key);
    struct yentry e = base->ents[i];
    if (k) {
      used[k->i] = 1;
      e.key_line = over->ents[k->i].key_line;
      rc = yt_merge(a, base->ents[i].val, over->ents[k->i].val, &e.val);
    }
    res->ents[res->n++] = e;
  }
  for (size_t i = 0; i < over->n && !rc; i++)
    if (!used[i])
      res->ents[res->n++] = over->ents[i];
  free(ob);
  free(used);
  if (rc)
    return rc;
  *out = res;
  return GW_OK;
}

static int merge_lists(struct yarena *a, struct ynode *base, struct ynode *over, struct ynode **out)
{
  int rc = GW_OK;
  struct kref *bi = index_ids(base), *oi = index_ids(over);
  struct ynode **items = ya_alloc(a, (base->n + over->n) * sizeof *items + 1);
  unsigned char *gone = gw_calloc(base->n + 1, 1);
  size_t n = base->n;
  memcpy(items, base->items, base->n * sizeof *items);

  /* Two entries with one id in a profile would silently merge into each
   * other; refuse them as the validator refuses them in one file. */
  for (size_t i = 1; i < over->n; i++) {
    if (strcmp(oi[i - 1].key, oi[i].key) == 0) {
      rc = gw_err_set(GW_EINVAL, "%s:%zu: duplicate id '%.100s' (first at line %zu)", over->file, oi[i].line,
                      oi[i].key, oi[i - 1].line);
      goto out;
    }
  }
  for (size_t i = 0; i < over->n; i++) {
    struct ynode *o = over->items[i];
    const char *id = entry_id(o);
    const struct kref *k = kref_find(bi, base->n, id);
    const struct yentry *rm = yt_entry(o, "remove");
    if (rm) {
      if (rm->val->kind != Y_SCALAR || strcmp(rm->val->s, "true") != 0) {
        rc = gw_err_set(GW_EINVAL, "%s:%zu: id %.100s: 'remove' must be true (it deletes the base's entry)",
                        o->file, rm->key_line, id);
        goto out;
      }
      if (o->n != 2) {
        rc = gw_err_set(GW_EINVAL, "%s:%zu: id %.100s: an entry with 'remove: true' takes no other keys",
                        o->file, o->line, id);
        goto out;
      }
      if (!k) {
        rc = gw_err_set(GW_EINVAL, "%s:%zu: id %.100s: 'remove: true', but the base has no entry with this id",
                        o->file, rm->key_line, id);
        goto out;
      }
      gone[k->i] = 1;
    } else if (k) {
      rc = yt_merge(a, base->items[k->i], o, &items[k->i]);
      if (rc)
        goto out;
    } else {
      items[n++] = o;
    }
  }
  struct ynode *res = ya_alloc(a, sizeof *res);
  *res = *over;
  res->items = items;
  res->n = 0;
  for (size_t i = 0; i < n; i++)
    if (i >= base->n || !gone[i])
      items[res->n++] = items[i];
  *out = res;

out:
  free(bi);
  free(oi);
  free(gone);
  return rc;
}

int yt_merge(struct yarena *a, struct ynode *base, struct ynode *over, struct ynode **out)
{
  if (!over || !base) {
    *out = over ? over : base;
    return GW_OK;
  }
  if (base->kind == Y_MAP && over->kind == Y_MAP)
    return merge_maps(a, base, over, out);
  if (base->kind == Y_SEQ && over->kind == Y_SEQ && over->n > 0 && id_list(base) && id_list(over))
    return merge_lists(a, base, over, out);
  *out = over;
  return GW_OK;
}
