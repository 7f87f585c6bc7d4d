/* runstat: run a command and print its wall time, CPU time and peak RSS.
 *
 * Used by bench/run.sh so benchmarks need no GNU time package:
 *   runstat LABEL -- CMD ARGS...
 * prints one tab-separated line: LABEL wall_s user_s sys_s maxrss_mib exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: runstat LABEL -- CMD [ARGS...]\n");
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) {
    perror("runstat: fork");
    return 1;
  }
  if (pid == 0) {
    execvp(argv[3], argv + 3);
    perror("runstat: exec");
    _exit(127);
  }
  int st = 0;
  struct rusage ru;
  if (wait4(pid, &st, 0, &ru) < 0) {
    perror("runstat: wait4");
    return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  double user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
  double sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  printf("%s\t%.3f\t%.3f\t%.3f\t%.1f\t%d\n", argv[1], wall, user, sys, (double)ru.ru_maxrss / 1024.0, code);
  return code;
}
