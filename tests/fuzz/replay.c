/* Replay fuzz inputs without libFuzzer, so every build (gcc or clang, with
 * or without sanitizers) runs the corpora in `make check`.
 *
 * Usage: fuzz_replay_<name> DIR|FILE...
 * Feeds every regular file (directories are read one level deep, in name
 * order) to LLVMFuzzerTestOneInput, then the same input cut to a few shorter
 * lengths, each time from a heap copy of exactly that size so AddressSanitizer
 * sees any read past the end. Exits 1 if an argument cannot be read or no
 * input was found at all, so an empty or misplaced corpus fails the test
 * instead of passing vacuously; a bug in the target crashes it. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Bigger than any corpus file should be; a stray huge file is an error. */
#define REPLAY_MAX_BYTES (64u << 20)

static size_t g_inputs, g_runs;

static void run(const unsigned char *data, size_t n)
{
  /* malloc(0) may return NULL; give the target a valid pointer anyway. */
  unsigned char *copy = malloc(n ? n : 1);
  if (!copy) {
    fprintf(stderr, "replay: out of memory\n");
    exit(2);
  }
  if (n)
    memcpy(copy, data, n);
  LLVMFuzzerTestOneInput(copy, n);
  free(copy);
  g_runs++;
}

static int replay_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
    return 1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || st.st_size < 0 || (uintmax_t)st.st_size > REPLAY_MAX_BYTES) {
    fprintf(stderr, "replay: %s: unreadable or larger than 64 MiB\n", path);
    fclose(f);
    return 1;
  }
  size_t want = (size_t)st.st_size;
  unsigned char *buf = malloc(want ? want : 1);
  if (!buf) {
    fclose(f);
    fprintf(stderr, "replay: out of memory\n");
    return 1;
  }
  size_t n = fread(buf, 1, want, f);
  int bad = ferror(f) || n != want;
  fclose(f);
  if (bad) {
    fprintf(stderr, "replay: %s: read error\n", path);
    free(buf);
    return 1;
  }
  run(buf, n);
  /* Truncations reach the "input ended too early" paths of every parser. */
  size_t cuts[] = {n - 1, n / 2, n / 4, 1, 0};
  size_t prev = n;
  for (size_t i = 0; n > 0 && i < sizeof cuts / sizeof *cuts; i++) {
    if (cuts[i] < prev) {
      run(buf, cuts[i]);
      prev = cuts[i];
    }
  }
  free(buf);
  g_inputs++;
  return 0;
}

static int skip_entry(const struct dirent *e)
{
  return e->d_name[0] != '.';
}

static int replay_dir(const char *dir)
{
  struct dirent **names = NULL;
  int n = scandir(dir, &names, skip_entry, alphasort);
  if (n < 0) {
    fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
    return 1;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) {
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    struct stat st;
    if (len < 0 || (size_t)len >= sizeof path) {
      fprintf(stderr, "replay: %s/%s: path too long\n", dir, names[i]->d_name);
      rc = 1;
    } else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      rc |= replay_file(path);
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
    return 2;
  }
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
      rc = 1;
    } else if (S_ISDIR(st.st_mode)) {
      rc |= replay_dir(argv[i]);
    } else {
      rc |= replay_file(argv[i]);
    }
  }
  if (g_inputs == 0) {
    fprintf(stderr, "replay: no inputs found\n");
    rc = 1;
  }
  printf("replayed %zu inputs (%zu runs)\n", g_inputs, g_runs);
  return rc;
}
