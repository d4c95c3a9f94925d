/* SPDX-License-Identifier: MIT */
/* failmalloc: an LD_PRELOAD library that fails one chosen allocation, to prove that
 * running out of memory is handled everywhere (exit 2, never a crash or a milder result).
 *
 *   WR_FAIL_ALLOC=N        fail the Nth counted allocation (1-based), and only it
 *   WR_FAIL_ALLOC_LOG=F    append one line to F when the failure is injected, and
 *                          write the count of allocations to F at exit
 *   WR_FAIL_ALLOC_TRACE=1  print the stack of the failed allocation on stderr
 *
 * Only allocations that wrkit's code, json-c or PCRE2 ask for are counted: those of
 * the C library itself (stdio buffers, locale) are its business, and it survives them.
 * The caller is told apart by its return address, against the executable segments of
 * the objects loaded when the first allocation is made. Only programs named wr-* are
 * touched, so that the shells and libtool wrappers around them run normally.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_RANGES 32

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);

static struct { uintptr_t lo, hi; } ranges[MAX_RANGES];
static int nranges;
static int state; /* 0 new, 1 initializing, 2 active, 3 inactive */
static unsigned long fail_at, counted;
static const char *log_path;
static __thread int busy;

/* dlsym may allocate before real_calloc is known: serve it from here. */
static char bootstrap[4096];
static size_t bootstrap_used;

static int wanted(const char *name)
{
	return name[0] == '\0' || strstr(name, "libwrkit") || strstr(name, "libjson-c") ||
	       strstr(name, "libpcre2");
}

static int add_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (!wanted(info->dlpi_name ? info->dlpi_name : ""))
		return 0;
	for (int i = 0; i < info->dlpi_phnum && nranges < MAX_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		ranges[nranges].lo = info->dlpi_addr + ph->p_vaddr;
		ranges[nranges].hi = ranges[nranges].lo + ph->p_memsz;
		nranges++;
	}
	return 0;
}

static void log_line(const char *text)
{
	if (!log_path)
		return;
	int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0)
		return;
	ssize_t ignored = write(fd, text, strlen(text));
	(void)ignored;
	close(fd);
}

static void report_count(void)
{
	char line[64];
	snprintf(line, sizeof line, "count %lu\n", counted);
	log_line(line);
}

static void init(void)
{
	state = 1;
	real_malloc = dlsym(RTLD_NEXT, "malloc");
	real_calloc = dlsym(RTLD_NEXT, "calloc");
	real_realloc = dlsym(RTLD_NEXT, "realloc");
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	const char *base = strrchr(exe, '/');
	base = base ? base + 1 : exe;
	const char *n_env = getenv("WR_FAIL_ALLOC");
	if ((strncmp(base, "wr-", 3) && strncmp(base, "lt-wr-", 6)) || !n_env) {
		state = 3;
		return;
	}
	fail_at = strtoul(n_env, NULL, 10);
	log_path = getenv("WR_FAIL_ALLOC_LOG");
	dl_iterate_phdr(add_object, NULL);
	atexit(report_count);
	state = 2;
}

/* Whether this allocation, asked for from caller, is the one to fail. */
static int should_fail(void *caller)
{
	if (state == 0)
		init();
	if (state != 2 || busy)
		return 0;
	uintptr_t pc = (uintptr_t)caller;
	int ours = 0;
	for (int i = 0; i < nranges; i++)
		if (pc >= ranges[i].lo && pc < ranges[i].hi)
			ours = 1;
	if (!ours)
		return 0;
	if (++counted != fail_at)
		return 0;
	busy = 1;
	log_line("injected\n");
	if (getenv("WR_FAIL_ALLOC_TRACE")) {
		void *frames[32];
		backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
	}
	busy = 0;
	return 1;
}

void *malloc(size_t size)
{
	if (!real_malloc) {
		if (state == 1)
			return calloc(1, size);
		init();
	}
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return real_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	if (!real_calloc) {
		/* dlsym's own allocations, before calloc is known */
		size_t want = (n * size + 15) & ~(size_t)15;
		if (bootstrap_used + want > sizeof bootstrap)
			return NULL;
		void *p = bootstrap + bootstrap_used;
		bootstrap_used += want;
		return p;
	}
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return real_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	if (!real_realloc)
		init();
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return real_realloc(p, size);
}

void free(void *p)
{
	static void (*real_free)(void *);
	if ((char *)p >= bootstrap && (char *)p < bootstrap + sizeof bootstrap)
		return;
	if (!real_free)
		real_free = dlsym(RTLD_NEXT, "free");
	real_free(p);
}

char *strdup(const char *s)
{
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	size_t n = strlen(s) + 1;
	char *d = real_malloc(n);
	return d ? memcpy(d, s, n) : NULL;
}

char *strndup(const char *s, size_t max)
{
	if (should_fail(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	size_t n = strnlen(s, max);
	char *d = real_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}
