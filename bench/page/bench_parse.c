/* gw_bench_parse: the crawler's parser-thread work on stored pages, for
 * instruction-count profiling (valgrind --tool=callgrind) and CPU timing.
 *
 * Usage: gw_bench_parse [--threads N] [--repeat R] DIR
 *
 * DIR is a sample family written by `govwatch sample generate --out DIR`
 * (one folder per host). Every *.html / *.htm file under it, in sorted
 * order, is read as the page http://HOST/PATH and handed to a parse pool
 * exactly as the crawl loop does (compress the body, build the page model,
 * normalise the links), R times over. Prints pages, links and a checksum
 * of the results so two builds can be compared for the same output. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "fetch/parse.h"

struct files {
  char **v;
  size_t n, cap;
};

static void files_add(struct files *f, const char *s)
{
  if (f->n == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 256;
    f->v = gw_reallocarray(f->v, f->cap, sizeof *f->v);
  }
  f->v[f->n++] = gw_strdup(s);
}

static bool is_html(const char *name)
{
  size_t n = strlen(name);
  return (n > 5 && strcmp(name + n - 5, ".html") == 0) || (n > 4 && strcmp(name + n - 4, ".htm") == 0);
}

static void scan(struct files *f, const char *dir, int depth)
{
  DIR *d = opendir(dir);
  if (!d || depth > 32) {
    if (d)
      closedir(d);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    int w = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (w < 0 || (size_t)w >= sizeof path)
      continue;
    struct stat st;
    if (stat(path, &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode))
      scan(f, path, depth + 1);
    else if (S_ISREG(st.st_mode) && is_html(e->d_name))
      files_add(f, path);
  }
  closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  struct gw_buf b;
  gw_buf_init(&b, 64u << 20);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    gw_buf_append(&b, chunk, n);
  fclose(fp);
  *len = b.len;
  return gw_buf_steal(&b);
}

static uint64_t mix(uint64_t h, const char *s)
{
  for (; s && *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (h ^ 0xFF) * 1099511628211ull;
}

int main(int argc, char **argv)
{
  long threads = 1, repeat = 1;
  const char *dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = strtol(argv[++i], NULL, 10);
    } else if (argv[i][0] != '-' && !dir) {
      dir = argv[i];
    } else {
      fprintf(stderr, "usage: gw_bench_parse [--threads N] [--repeat R] DIR\n");
      return 2;
    }
  }
  if (!dir || threads < 0 || threads > 64 || repeat < 1 || repeat > 1000) {
    fprintf(stderr, "usage: gw_bench_parse [--threads N (0-64)] [--repeat R (1-1000)] DIR\n");
    return 2;
  }
  struct files f = {0};
  scan(&f, dir, 0);
  if (f.n == 0) {
    fprintf(stderr, "gw_bench_parse: %s: no .html or .htm files\n", dir);
    return 1;
  }
  qsort(f.v, f.n, sizeof *f.v, cmp_str);
  struct gw_parse_pool *pool = NULL;
  if (gw_parse_pool_new(&pool, (int)threads, NULL, NULL) != GW_OK) {
    fprintf(stderr, "gw_bench_parse: %s\n", gw_err_msg());
    return 1;
  }
  size_t dlen = strlen(dir);
  uint64_t h = 1469598103934665603ull;
  size_t pages = 0, links = 0, zbytes = 0, errors = 0;
  for (long r = 0; r < repeat; r++) {
    for (size_t i = 0; i < f.n; i++) {
      struct gw_parse_task *t = gw_calloc(1, sizeof *t);
      char url[4200];
      snprintf(url, sizeof url, "http://%s", f.v[i] + dlen + 1);
      t->base = gw_strdup(url);
      t->data = slurp(f.v[i], &t->len);
      if (!t->data) {
        fprintf(stderr, "gw_bench_parse: %s: %s\n", f.v[i], strerror(errno));
        gw_parse_task_free(t);
        return 1;
      }
      t->content_type = gw_strdup("text/html");
      t->as_of = 1763856000; /* 2025-11-23 08:00 +08:00, fixed */
      t->max_bytes = 8u << 20;
      t->max_links = 5000;
      t->parse = true;
      t->compress = true;
      gw_parse_pool_submit(pool, t);
      /* keep a bounded number in flight, like the crawl loop */
      if (gw_parse_pool_pending(pool) >= 64 || i + 1 == f.n) {
        gw_parse_pool_drain(pool);
        while ((t = gw_parse_pool_take(pool)) != NULL) {
          pages++;
          if (t->error)
            errors++;
          zbytes += t->body.zlen;
          h = mix(h, t->base);
          h = mix(h, t->title);
          h = mix(h, t->charset);
          for (size_t k = 0; k < t->n_links; k++) {
            char extra[64];
            snprintf(extra, sizeof extra, "%d/%ld/%u/%d", (int)t->links[k].kind, t->links[k].line,
                     t->links[k].hidden, (int)t->links[k].in_footer);
            h = mix(h, t->links[k].url);
            h = mix(h, t->links[k].text);
            h = mix(h, extra);
          }
          links += t->n_links;
          gw_parse_task_free(t);
        }
      }
    }
  }
  gw_parse_pool_free(&pool);
  for (size_t i = 0; i < f.n; i++)
    free(f.v[i]);
  free(f.v);
  printf("pages %zu links %zu errors %zu compressed_bytes %zu checksum %016llx\n", pages, links, errors,
         zbytes, (unsigned long long)h);
  return errors ? 1 : 0;
}
