/*
 * batchd's container launcher: one long-lived process that is the parent of every container
 * batchd starts (src/node/runtime/launcher.ts builds it, starts it and speaks its protocol).
 *
 * Why C: a container start should cost about what `xargs -P` pays for a fork and an exec. batchd
 * itself cannot fork cheaply (the page tables of its heap are copied), and a shell pays for a
 * fork of itself plus the pages its child touches before exec. Here each container is one vfork:
 * the child shares our memory, makes a few system calls and execs.
 *
 * Requests arrive on stdin as NUL-terminated fields:
 *   seq dir cgroup-procs cwd log exe nenv nargv nfiles env... argv... (path flag content)...
 * Before the fork the launcher makes the directories of `dir` and `log`, and writes each file
 * (flag `w` replaces it, `x` leaves an existing one), so batchd's event loop does no file work
 * for a start.
 * Events go to stdout, one line each:
 *   S <seq> <pid> <t>   started; t is its start time in clock ticks (`<dir>/pid` holds "<pid> <t>")
 *   F <seq> <message>   could not start (nothing left running)
 *   E <seq> <code>      exited (`<dir>/exit` holds the code; its mtime is the finish time)
 * The exit record is written while the child is still a zombie, so its pid cannot be reused and
 * "no process and no record" always means the launcher itself was killed. Then the rest of the
 * container's process group is killed, as a container's processes end with its main one.
 *
 * batchd may die: the launcher keeps reaping and recording exits, and leaves once stdin is
 * closed and its last child is gone. The next batchd finds the records (adopt()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIXED_FIELDS 9

struct container {
  pid_t pid;
  char *seq;
  char *dir;
};

static struct container *live;
static size_t live_len, live_cap;
static int events_open = 1;

/* What a vforked child reports when it cannot exec (it shares our memory until then). */
static volatile int child_errno;
static const char *volatile child_step;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) {
    perror("batchd-launcher: out of memory");
    exit(70);
  }
  return q;
}

static char *xstrdup(const char *s) {
  char *d = strdup(s);
  if (!d) {
    perror("batchd-launcher: out of memory");
    exit(70);
  }
  return d;
}

/* One event line to batchd; once batchd is gone (EPIPE) events are dropped, records are not. */
static void emit(const char *fmt, ...) {
  if (!events_open) return;
  char line[4200];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof line) n = sizeof line - 1;
  for (int off = 0; off < n;) {
    ssize_t w = write(1, line + off, (size_t)(n - off));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      events_open = 0;
      return;
    }
    off += (int)w;
  }
}

/* Writes a small record file in one write(); readers treat an empty file as not yet written. */
static void write_record(const char *dir, const char *name, const char *text) {
  char path[4200];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ssize_t ignored = write(fd, text, strlen(text));
  (void)ignored;
  close(fd);
}

/* Field 22 of /proc/<pid>/stat: with the pid, it names a process even after pids wrap. */
static unsigned long long start_time(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  char *p = strrchr(buf, ')');
  if (!p) return 0;
  /* Fields 3, 4, ... follow ") ", each after a space: stop at the space before field 22. */
  for (int field = 3; field <= 22 && p; field++) p = strchr(p + 1, ' ');
  return p ? strtoull(p + 1, NULL, 10) : 0;
}

/* mkdir -p: makes path and its missing parents. */
static int make_dirs(char *path) {
  if (mkdir(path, 0755) == 0 || errno == EEXIST) return 0;
  if (errno != ENOENT) return -1;
  char *slash = strrchr(path, '/');
  if (!slash || slash == path) return -1;
  *slash = '\0';
  int rc = make_dirs(path);
  *slash = '/';
  if (rc < 0) return -1;
  return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* Makes the directory a file goes in. */
static int make_parent(const char *file) {
  char path[4200];
  if (snprintf(path, sizeof path, "%s", file) >= (int)sizeof path) return -1;
  char *slash = strrchr(path, '/');
  if (!slash || slash == path) return 0;
  *slash = '\0';
  return make_dirs(path);
}

/* A file of the request: `w` replaces it, `x` keeps an existing one. */
static int write_file(const char *path, const char *flag, const char *content) {
  if (make_parent(path) < 0) return -1;
  int exclusive = flag[0] == 'x';
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), 0644);
  if (fd < 0) return exclusive && errno == EEXIST ? 0 : -1;
  size_t len = strlen(content);
  for (size_t off = 0; off < len;) {
    ssize_t w = write(fd, content + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      int err = errno;
      close(fd);
      errno = err;
      return -1;
    }
    off += (size_t)w;
  }
  return close(fd);
}

static void child_fail(const char *step) {
  child_errno = errno;
  child_step = step;
  _exit(127);
}

static void child_write(const char *s) {
  ssize_t ignored = write(2, s, strlen(s));
  (void)ignored;
}

/*
 * The vforked child: a new process group, stdin from /dev/null, stdout and stderr appended to the
 * log, the cgroup joined, the working directory, default signals, exec. System calls only.
 */
static void run_child(const char *cg, const char *cwd, const char *log, const char *exe, char *const argv[],
                      char *const envp[], const sigset_t *mask) {
  if (setpgid(0, 0) < 0) child_fail("setpgid");
  int in = open("/dev/null", O_RDONLY);
  if (in < 0 || dup2(in, 0) < 0) child_fail("open /dev/null");
  if (in != 0) close(in);
  int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (out < 0) child_fail("open the log");
  if (dup2(out, 1) < 0 || dup2(out, 2) < 0) child_fail("open the log");
  if (out > 2) close(out);
  if (cg[0]) {
    int fd = open(cg, O_WRONLY);
    /* Writing 0 to cgroup.procs moves the writer itself. */
    if (fd < 0 || write(fd, "0", 1) != 1) {
      child_write("batchd: could not join cgroup ");
      child_write(cg);
      child_write(": limits not enforced\n");
    }
    if (fd >= 0) close(fd);
  }
  if (chdir(cwd) < 0) child_fail("chdir");
  signal(SIGPIPE, SIG_DFL);
  sigprocmask(SIG_SETMASK, mask, NULL);
  execve(exe, argv, envp);
  child_fail("exec");
}

static void start(char **f, const sigset_t *child_mask) {
  const char *seq = f[0], *dir = f[1], *cg = f[2], *cwd = f[3], *log = f[4], *exe = f[5];
  long nenv = strtol(f[6], NULL, 10), nargv = strtol(f[7], NULL, 10), nfiles = strtol(f[8], NULL, 10);
  char dir_path[4200];
  snprintf(dir_path, sizeof dir_path, "%s", dir);
  if (make_dirs(dir_path) < 0 || make_parent(log) < 0) {
    emit("F %s mkdir: %s\n", seq, strerror(errno));
    return;
  }
  for (long i = 0; i < nfiles; i++) {
    char **file = f + FIXED_FIELDS + nenv + nargv + 3 * i;
    if (write_file(file[0], file[1], file[2]) < 0) {
      emit("F %s write %s: %s\n", seq, file[0], strerror(errno));
      return;
    }
  }
  char **envp = xrealloc(NULL, sizeof(char *) * (size_t)(nenv + 1));
  char **argv = xrealloc(NULL, sizeof(char *) * (size_t)(nargv + 1));
  for (long i = 0; i < nenv; i++) envp[i] = f[FIXED_FIELDS + i];
  envp[nenv] = NULL;
  for (long i = 0; i < nargv; i++) argv[i] = f[FIXED_FIELDS + nenv + i];
  argv[nargv] = NULL;

  child_errno = 0;
  pid_t pid = vfork();
  if (pid == 0) run_child(cg, cwd, log, exe, argv, envp, child_mask);
  int err = pid < 0 ? errno : child_errno;
  const char *step = pid < 0 ? "fork" : child_step;
  free(envp);
  free(argv);
  if (pid < 0 || err) {
    if (pid > 0) waitpid(pid, NULL, 0);
    emit("F %s %s: %s\n", seq, step, strerror(err));
    return;
  }
  char record[64];
  snprintf(record, sizeof record, "%d %llu", (int)pid, start_time(pid));
  write_record(dir, "pid", record);
  if (live_len == live_cap) {
    live_cap = live_cap ? live_cap * 2 : 64;
    live = xrealloc(live, sizeof *live * live_cap);
  }
  live[live_len++] = (struct container){pid, xstrdup(seq), xstrdup(dir)};
  emit("S %s %s\n", seq, record);
}

/* Records and reaps every exited child. */
static void reap(void) {
  for (;;) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0) return;
    pid_t pid = si.si_pid;
    int code = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
    size_t i = 0;
    while (i < live_len && live[i].pid != pid) i++;
    if (i < live_len) {
      char record[16];
      snprintf(record, sizeof record, "%d\n", code);
      write_record(live[i].dir, "exit", record);
      kill(-pid, SIGKILL);
    }
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    if (i < live_len) {
      emit("E %s %d\n", live[i].seq, code);
      free(live[i].seq);
      free(live[i].dir);
      live[i] = live[--live_len];
    }
  }
}

/*
 * Starts every complete request in buf[0..len) and returns how many bytes they took. The counts
 * come first, so a request is complete once FIXED_FIELDS + nenv + nargv fields have arrived.
 */
static size_t handle_requests(char *buf, size_t len, const sigset_t *child_mask) {
  size_t used = 0;
  char **fields = NULL;
  size_t fields_cap = 0;
  for (;;) {
    size_t pos = used, n = 0, want = FIXED_FIELDS;
    while (n < want) {
      char *end = memchr(buf + pos, '\0', len - pos);
      if (!end) {
        free(fields);
        return used;
      }
      if (n == fields_cap) {
        fields_cap = fields_cap ? fields_cap * 2 : 32;
        fields = xrealloc(fields, sizeof(char *) * fields_cap);
      }
      fields[n++] = buf + pos;
      pos = (size_t)(end - buf) + 1;
      if (n == FIXED_FIELDS)
        want += (size_t)strtol(fields[6], NULL, 10) + (size_t)strtol(fields[7], NULL, 10) +
                3 * (size_t)strtol(fields[8], NULL, 10);
    }
    start(fields, child_mask);
    used = pos;
  }
}

int main(void) {
  sigset_t chld, child_mask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  /* Children start with the mask batchd gave us, less our own use of SIGCHLD. */
  sigprocmask(SIG_BLOCK, &chld, &child_mask);
  sigdelset(&child_mask, SIGCHLD);
  int sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd < 0) {
    perror("batchd-launcher: signalfd");
    return 71;
  }
  signal(SIGPIPE, SIG_IGN);
  fcntl(0, F_SETFD, FD_CLOEXEC);
  fcntl(1, F_SETFD, FD_CLOEXEC);

  size_t cap = 1 << 16, len = 0;
  char *buf = xrealloc(NULL, cap);
  int input_open = 1;
  while (input_open || live_len > 0) {
    struct pollfd p[2] = {{sfd, POLLIN, 0}, {0, POLLIN, 0}};
    if (poll(p, input_open ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      perror("batchd-launcher: poll");
      return 71;
    }
    if (p[0].revents) {
      struct signalfd_siginfo info;
      while (read(sfd, &info, sizeof info) == sizeof info) {
      }
      reap();
    }
    if (input_open && p[1].revents) {
      if (len == cap) buf = xrealloc(buf, cap *= 2);
      ssize_t n = read(0, buf + len, cap - len);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        input_open = 0;
        continue;
      }
      len += (size_t)n;
      size_t used = handle_requests(buf, len, &child_mask);
      memmove(buf, buf + used, len - used);
      len -= used;
    }
    /* A child may have exited while we were starting others. */
    reap();
  }
  return 0;
}
