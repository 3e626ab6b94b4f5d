// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * salua_vio - verified I/O load generator for failover tests.
 *
 * Writes a known pattern to a block device (or file) with O_DIRECT, reads
 * every block back and compares it, and reports I/Os, errors, mismatches
 * and the longest pause between two consecutive completions.  Optionally
 * writes a per-I/O completion timeline (for pictures and the failover
 * benchmark).  Usage: `salua_vio --help`; docs/kernel-module.md "Verified
 * I/O".
 *
 * Each block carries a 32-byte header (magic, seed, block number,
 * generation, checksum of the body) and a body derived from (seed, block,
 * generation).  The generation last known on disk is kept per block; a
 * write that failed may or may not have landed, so until a read settles it
 * any generation between the last known and the failed one is accepted:
 * an I/O error is never miscounted as a mismatch, and a mismatch is never
 * hidden by an error.
 *
 * Threads (-j N) each own a disjoint slice of the region and keep one I/O
 * in flight, so the queue depth is N.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <scsi/sg.h>

#define VIO_MAGIC 0x5356494fu /* "SVIO" */
#define VIO_HDR 32u
#define VIO_TOP_PAUSES 8
#define VIO_HANG_S 10u /* after a stop, report without threads still in I/O */

struct vio_opts {
	const char *dev;
	const char *timeline;
	const char *stop_file;
	uint64_t offset;	/* bytes */
	uint64_t blocks;	/* region size in blocks, 0 = to the end */
	uint32_t bs;
	uint32_t seed;
	unsigned threads;
	double duration;	/* seconds, 0 = until signal / stop file / count */
	uint64_t count;		/* write+verify rounds per thread, 0 = no limit */
	double interval;	/* progress line period, 0 = off */
	uint64_t pace_us;	/* pause between rounds, 0 = none */
	bool buffered;
	bool final_verify;
	bool random;
	uint64_t inject_mismatch; /* corrupt the Nth read (self-test), 0 = off */
	uint64_t stop_at_us;	/* when a stop was first seen */
};

struct vio_pause {
	uint64_t len_us, from_us;
};

struct vio_stats {
	uint64_t writes, reads, werr, rerr, mismatches;
	uint64_t last_done_us;
	struct vio_pause top[VIO_TOP_PAUSES];
	int first_errno;
};

struct vio_thread {
	pthread_t tid;
	unsigned idx;
	uint64_t first, nblocks; /* slice of the region, in blocks */
	uint32_t *gen;		/* last generation known on disk, 0 = none */
	uint32_t *hi;		/* failed writes up to this generation may
				 * have landed: (gen, hi] also acceptable */
	unsigned char *buf, *rbuf;
	uint64_t rng;
};

static struct vio_opts o;
static int fd = -1;
static volatile sig_atomic_t stop_flag;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct vio_stats st;
static FILE *tl;
static uint64_t t_start_us;
static uint64_t reads_seen; /* for --inject-mismatch, under mu */
static unsigned threads_done; /* under mu */

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* The body of (block, gen): 8 bytes at a time from one generator. */
static void fill_body(unsigned char *b, uint64_t blk, uint32_t gen)
{
	uint64_t s = (uint64_t)o.seed << 32 ^ blk * 0x100000001b3ull ^ gen;
	uint32_t i;

	for (i = VIO_HDR; i + 8 <= o.bs; i += 8)
		put64(b + i, splitmix(&s));
}

static uint32_t body_sum(const unsigned char *b)
{
	uint32_t h = 2166136261u, i;

	for (i = VIO_HDR; i < o.bs; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static void make_block(unsigned char *b, uint64_t blk, uint32_t gen)
{
	memset(b, 0, VIO_HDR);
	put32(b, VIO_MAGIC);
	put32(b + 4, o.seed);
	put64(b + 8, blk);
	put32(b + 16, gen);
	fill_body(b, blk, gen);
	put32(b + 20, body_sum(b));
}

/*
 * Does @b hold one of our blocks for @blk with a generation in {gen} or
 * (gen, hi]?  Returns the generation found, or 0 for anything else.
 */
static uint32_t check_block(const unsigned char *b, uint64_t blk, uint32_t gen,
			    uint32_t hi, unsigned char *scratch)
{
	uint32_t g;

	if (get32(b) != VIO_MAGIC || get32(b + 4) != o.seed ||
	    get64(b + 8) != blk)
		return 0;
	g = get32(b + 16);
	if (g != gen && !(hi && g > gen && g <= hi))
		return 0;
	if (get32(b + 20) != body_sum(b))
		return 0;
	make_block(scratch, blk, g);
	if (memcmp(scratch, b, o.bs) != 0)
		return 0;
	return g;
}

static void insert_pause(uint64_t len, uint64_t from)
{
	int i, k;

	for (i = 0; i < VIO_TOP_PAUSES; i++)
		if (len > st.top[i].len_us)
			break;
	if (i == VIO_TOP_PAUSES)
		return;
	for (k = VIO_TOP_PAUSES - 1; k > i; k--)
		st.top[k] = st.top[k - 1];
	st.top[i].len_us = len;
	st.top[i].from_us = from;
}

/* One completion: pause tracking and the timeline line (under mu). */
static void record_locked(char op, uint64_t blk, uint64_t t0, uint64_t t1,
			  const char *status)
{
	uint64_t prev = st.last_done_us ? st.last_done_us : t_start_us;

	if (t1 > prev)
		insert_pause(t1 - prev, prev);
	if (t1 > st.last_done_us)
		st.last_done_us = t1;
	if (tl)
		fprintf(tl, "%" PRIu64 " %c %" PRIu64 " %" PRIu64 " %s\n", t1,
			op, blk, t1 - t0, status);
}

static int xfer(bool wr, unsigned char *b, uint64_t blk)
{
	off_t off = (off_t)(o.offset + blk * o.bs);
	ssize_t n;

	do {
		n = wr ? pwrite(fd, b, o.bs, off) : pread(fd, b, o.bs, off);
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)o.bs)
		return 0;
	return n < 0 ? errno : EIO; /* a short transfer is an error too */
}

static void io_error(char op, uint64_t blk, uint64_t t0, uint64_t t1, int e)
{
	char sbuf[32];

	snprintf(sbuf, sizeof(sbuf), "err=%d", e);
	pthread_mutex_lock(&mu);
	if (op == 'W')
		st.werr++;
	else
		st.rerr++;
	if (!st.first_errno)
		st.first_errno = e;
	record_locked(op, blk, t0, t1, sbuf);
	pthread_mutex_unlock(&mu);
}

/* A short description of a block that did not compare equal. */
static const char *what_differs(const unsigned char *b, uint64_t blk)
{
	static char msg[96];

	if (get32(b) != VIO_MAGIC)
		snprintf(msg, sizeof(msg), "no pattern (first word 0x%08x)", get32(b));
	else if (get32(b + 4) != o.seed)
		snprintf(msg, sizeof(msg), "another run's pattern (seed %u)", get32(b + 4));
	else if (get64(b + 8) != blk)
		snprintf(msg, sizeof(msg), "block %" PRIu64 "'s data", get64(b + 8));
	else
		snprintf(msg, sizeof(msg), "generation %u%s", get32(b + 16),
			 get32(b + 20) != body_sum(b) ? " with a damaged body" : "");
	return msg;
}

/* Read @blk back and compare it with what may be on disk. */
static void verify(struct vio_thread *t, uint64_t blk, unsigned char *scratch)
{
	uint64_t i = blk - t->first, t0, t1;
	uint32_t g = 0;
	const char *status = "ok";
	bool inject = false;
	int e;

	t0 = now_us();
	e = xfer(false, t->rbuf, blk);
	t1 = now_us();
	if (e) {
		io_error('R', blk, t0, t1, e);
		return;
	}
	pthread_mutex_lock(&mu);
	if (o.inject_mismatch && ++reads_seen == o.inject_mismatch)
		inject = true;
	pthread_mutex_unlock(&mu);
	if (inject)
		t->rbuf[o.bs - 1] ^= 0x5a;
	if (t->gen[i] || t->hi[i]) {
		g = check_block(t->rbuf, blk, t->gen[i], t->hi[i], scratch);
		if (g) {
			if (t->hi[i])
				status = "ok-settled";
			t->gen[i] = g;
			t->hi[i] = 0;
		} else if (!t->gen[i]) {
			/* Only failed writes ever went there: none landed. */
			t->hi[i] = 0;
			status = "ok-unwritten";
		} else {
			status = "mismatch";
		}
	}
	pthread_mutex_lock(&mu);
	st.reads++;
	if (!strcmp(status, "mismatch")) {
		if (st.mismatches < 5)
			fprintf(stderr,
				"salua_vio: MISMATCH block %" PRIu64
				": want generation %u%s, found %s\n",
				blk, t->gen[i], t->hi[i] ? " (or a later failed one)" : "",
				what_differs(t->rbuf, blk));
		st.mismatches++;
	}
	record_locked('R', blk, t0, t1, status);
	pthread_mutex_unlock(&mu);
}

static void *worker(void *arg)
{
	struct vio_thread *t = arg;
	unsigned char *scratch = malloc(o.bs);
	uint64_t round = 0, k = 0, blk, i, t0, t1, deadline = 0;
	uint32_t ng;
	int e;

	if (!scratch) {
		fprintf(stderr, "salua_vio: out of memory\n");
		goto out;
	}
	if (o.duration > 0)
		deadline = t_start_us + (uint64_t)(o.duration * 1e6);
	while (!stop_flag) {
		if (o.count && round >= o.count)
			break;
		if (deadline && now_us() >= deadline)
			break;
		if (o.random)
			i = splitmix(&t->rng) % t->nblocks;
		else
			i = k++ % t->nblocks;
		blk = t->first + i;
		ng = (t->gen[i] > t->hi[i] ? t->gen[i] : t->hi[i]) + 1;
		make_block(t->buf, blk, ng);
		t0 = now_us();
		e = xfer(true, t->buf, blk);
		t1 = now_us();
		if (e) {
			t->hi[i] = ng; /* may have landed: the read decides */
			io_error('W', blk, t0, t1, e);
		} else {
			t->gen[i] = ng;
			t->hi[i] = 0;
			pthread_mutex_lock(&mu);
			st.writes++;
			record_locked('W', blk, t0, t1, "ok");
			pthread_mutex_unlock(&mu);
		}
		verify(t, blk, scratch);
		round++;
		if (o.pace_us)
			usleep((useconds_t)o.pace_us);
	}
	if (o.final_verify)
		for (i = 0; i < t->nblocks; i++)
			if (t->gen[i] || t->hi[i])
				verify(t, t->first + i, scratch);
	free(scratch);
out:
	pthread_mutex_lock(&mu);
	threads_done++;
	pthread_mutex_unlock(&mu);
	return NULL;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;
	uint64_t mul = 1;

	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	x = strtoull(s, &end, 0);
	if (errno)
		return -1;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024, end++;
	else if (*end == 'g' || *end == 'G')
		mul = 1024ull * 1024 * 1024, end++;
	if (*end || (mul > 1 && x > UINT64_MAX / mul))
		return -1;
	*v = x * mul;
	return 0;
}

static int parse_secs(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end || *v < 0 || *v > 1e7 ? -1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: salua_vio [options] DEVICE\n"
"       salua_vio mark [LABEL]    print \"MARK <monotonic us> LABEL\"\n"
"       salua_vio tur [-i SECS] [-d SECS] DEV...  a TUR to each DEV every SECS\n"
"Writes a known pattern with O_DIRECT, reads every block back and compares.\n"
"  -b, --bs BYTES          block size (default 4096; multiple of 512)\n"
"  -o, --offset BYTES      start of the region (default 0)\n"
"  -s, --size BYTES        region size (default: to the end, at most 64M)\n"
"  -j, --threads N         threads = I/Os in flight, disjoint slices (1)\n"
"  -d, --duration SECS     stop after SECS (fractions allowed)\n"
"  -n, --count N           stop after N write+read rounds per thread\n"
"  -S, --stop-file PATH    stop when PATH exists (checked every round)\n"
"  -t, --timeline PATH     one line per I/O: t_done_us op block lat_us status\n"
"  -i, --interval SECS     progress line every SECS\n"
"  -r, --random            random blocks (default sequential)\n"
"  -p, --pace USEC         sleep USEC after each write+read round (less CPU)\n"
"      --seed N            pattern seed (default: from the clock)\n"
"      --final-verify      read every written block once more at the end\n"
"      --buffered          no O_DIRECT (files on tmpfs)\n"
"      --inject-mismatch N corrupt the Nth read before comparing (self-test)\n"
"Stops on SIGINT/SIGTERM too.  Prints one line\n"
"  VIO ios=... writes=... reads=... errors=... werr=... rerr=... mismatches=...\n"
"      max_pause_us=... max_pause_at_us=... elapsed_us=...\n"
"and the longest pauses as \"VIO-PAUSE rank len_us from_us to_us\".  All times\n"
"are CLOCK_MONOTONIC microseconds (as `salua_vio mark` prints them).\n"
"Exit 0 when there was no error and no mismatch, 1 otherwise, 2 on bad usage.\n");
}

static int mark(int argc, char **argv)
{
	printf("MARK %" PRIu64, now_us());
	for (int i = 2; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 0;
}

/*
 * salua_vio tur [-i SECS] [-d SECS] DEV...: a path checker's load, every
 * SECS one TEST UNIT READY (SG_IO) to each DEV, as multipathd's tur checker
 * sends them; counts the answers: GOOD, NOT READY 04/0B (standby), 04/0A
 * (transitioning), other.
 */
static int tur_cmd(int argc, char **argv)
{
	double every = 5, dur = 60;
	uint64_t good = 0, standby = 0, trans = 0, other = 0, rounds = 0;
	uint64_t t0, next;
	int *fds, n = 0, i;

	fds = calloc((size_t)argc, sizeof(*fds));
	if (!fds)
		return 2;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-i") && i + 1 < argc) {
			if (parse_secs(argv[++i], &every) || every <= 0)
				return 2;
		} else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			if (parse_secs(argv[++i], &dur))
				return 2;
		} else {
			fds[n] = open(argv[i], O_RDONLY | O_NONBLOCK);
			if (fds[n] < 0) {
				fprintf(stderr, "salua_vio tur: %s: %s\n", argv[i],
					strerror(errno));
				return 2;
			}
			n++;
		}
	}
	if (!n) {
		fprintf(stderr, "usage: salua_vio tur [-i SECS] [-d SECS] DEV...\n");
		return 2;
	}
	t0 = next = now_us();
	while (now_us() - t0 < (uint64_t)(dur * 1e6)) {
		for (i = 0; i < n; i++) {
			unsigned char cdb[6] = { 0 }, sb[32];
			struct sg_io_hdr io;

			memset(&io, 0, sizeof(io));
			memset(sb, 0, sizeof(sb));
			io.interface_id = 'S';
			io.dxfer_direction = SG_DXFER_NONE;
			io.cmd_len = sizeof(cdb);
			io.cmdp = cdb;
			io.mx_sb_len = sizeof(sb);
			io.sbp = sb;
			io.timeout = 30000;
			/* driver_status DRIVER_SENSE (0x08) only says sense came. */
			if (ioctl(fds[i], SG_IO, &io) < 0 || io.host_status ||
			    (io.driver_status & 0x07)) {
				other++;
			} else if (!io.status) {
				good++;
			} else {
				unsigned int key, asc, ascq;

				/* SPC-5 4.4.2 descriptor / 4.4.3 fixed format */
				if ((sb[0] & 0x7e) == 0x72 && io.sb_len_wr >= 4) {
					key = sb[1] & 0x0fu;
					asc = sb[2];
					ascq = sb[3];
				} else if ((sb[0] & 0x7e) == 0x70 && io.sb_len_wr >= 14) {
					key = sb[2] & 0x0fu;
					asc = sb[12];
					ascq = sb[13];
				} else {
					key = asc = ascq = 0;
				}
				if (key == 2 && asc == 4 && ascq == 0x0b)
					standby++;
				else if (key == 2 && asc == 4 && ascq == 0x0a)
					trans++;
				else
					other++;
			}
		}
		rounds++;
		next += (uint64_t)(every * 1e6);
		while (now_us() < next && now_us() - t0 < (uint64_t)(dur * 1e6))
			usleep(10000);
	}
	printf("TUR devices=%d rounds=%" PRIu64 " good=%" PRIu64 " standby=%" PRIu64
	       " transitioning=%" PRIu64 " other=%" PRIu64 " elapsed_us=%" PRIu64 "\n",
	       n, rounds, good, standby, trans, other, now_us() - t0);
	return 0;
}

static int parse_args(int argc, char **argv)
{
	uint64_t v;
	double d;
	int i;

	o.bs = 4096;
	o.threads = 1;
	o.seed = (uint32_t)(now_us() ^ (uint64_t)getpid() << 16);
	if (!o.seed)
		o.seed = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool arg = true;

#define OPT(s, l) (!strcmp(a, s) || !strcmp(a, l))
		if (OPT("-h", "--help")) {
			usage(stdout);
			exit(0);
		} else if (OPT("-b", "--bs")) {
			if (parse_u64(val, &v) || v < 512 || v % 512 || v > (1u << 24))
				goto bad;
			o.bs = (uint32_t)v;
		} else if (OPT("-o", "--offset")) {
			if (parse_u64(val, &o.offset))
				goto bad;
		} else if (OPT("-s", "--size")) {
			if (parse_u64(val, &v) || !v)
				goto bad;
			o.blocks = v; /* bytes for now */
		} else if (OPT("-j", "--threads")) {
			if (parse_u64(val, &v) || !v || v > 256)
				goto bad;
			o.threads = (unsigned)v;
		} else if (OPT("-d", "--duration")) {
			if (!val || parse_secs(val, &o.duration))
				goto bad;
		} else if (OPT("-n", "--count")) {
			if (parse_u64(val, &o.count) || !o.count)
				goto bad;
		} else if (OPT("-S", "--stop-file")) {
			if (!val)
				goto bad;
			o.stop_file = val;
		} else if (OPT("-t", "--timeline")) {
			if (!val)
				goto bad;
			o.timeline = val;
		} else if (OPT("-i", "--interval")) {
			if (!val || parse_secs(val, &d) || d <= 0)
				goto bad;
			o.interval = d;
		} else if (OPT("-p", "--pace")) {
			if (parse_u64(val, &o.pace_us) || o.pace_us > 10000000)
				goto bad;
		} else if (!strcmp(a, "--seed")) {
			if (parse_u64(val, &v) || !v || v > UINT32_MAX)
				goto bad;
			o.seed = (uint32_t)v;
		} else if (!strcmp(a, "--inject-mismatch")) {
			if (parse_u64(val, &o.inject_mismatch) || !o.inject_mismatch)
				goto bad;
		} else {
			arg = false;
			if (OPT("-r", "--random"))
				o.random = true;
			else if (!strcmp(a, "--final-verify"))
				o.final_verify = true;
			else if (!strcmp(a, "--buffered"))
				o.buffered = true;
			else if (a[0] == '-' && a[1])
				goto bad_opt;
			else if (!o.dev)
				o.dev = a;
			else
				goto bad_opt;
		}
#undef OPT
		if (arg)
			i++;
		continue;
bad:
		fprintf(stderr, "salua_vio: %s: bad or missing value '%s'\n", a,
			val ? val : "");
		return -1;
bad_opt:
		fprintf(stderr, "salua_vio: unexpected argument '%s'\n", a);
		return -1;
	}
	if (!o.dev) {
		usage(stderr);
		return -1;
	}
	if (o.offset % o.bs || o.blocks % o.bs) {
		fprintf(stderr, "salua_vio: offset and size must be multiples of the block size\n");
		return -1;
	}
	o.blocks /= o.bs;
	return 0;
}

static uint64_t dev_bytes(void)
{
	struct stat sb;
	uint64_t n = 0;

	if (fstat(fd, &sb) < 0)
		return 0;
	if (S_ISBLK(sb.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &n) < 0)
			return 0;
		return n;
	}
	return (uint64_t)sb.st_size;
}

static void progress(uint64_t t)
{
	pthread_mutex_lock(&mu);
	printf("VIO-PROGRESS t_us=%" PRIu64 " writes=%" PRIu64 " reads=%" PRIu64
	       " errors=%" PRIu64 " mismatches=%" PRIu64 " max_pause_us=%" PRIu64
	       "\n",
	       t - t_start_us, st.writes, st.reads, st.werr + st.rerr,
	       st.mismatches, st.top[0].len_us);
	pthread_mutex_unlock(&mu);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct vio_thread *th;
	struct sigaction sa;
	uint64_t bytes, per, t_end, next_prog = 0;
	unsigned i, hung = 0;
	int flags = O_RDWR, rc;

	if (argc >= 2 && !strcmp(argv[1], "mark"))
		return mark(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "tur"))
		return tur_cmd(argc, argv);
	if (parse_args(argc, argv) < 0)
		return 2;
	if (!o.buffered)
		flags |= O_DIRECT;
	fd = open(o.dev, flags);
	if (fd < 0) {
		fprintf(stderr, "salua_vio: %s: %s%s\n", o.dev, strerror(errno),
			errno == EINVAL && !o.buffered ?
				" (no O_DIRECT here? try --buffered)" : "");
		return 2;
	}
	bytes = dev_bytes();
	if (bytes <= o.offset) {
		fprintf(stderr, "salua_vio: %s: size %" PRIu64
			" leaves no room after offset %" PRIu64 "\n",
			o.dev, bytes, o.offset);
		return 2;
	}
	if (!o.blocks) {
		o.blocks = (bytes - o.offset) / o.bs;
		if (o.blocks > (64u << 20) / o.bs)
			o.blocks = (64u << 20) / o.bs;
	} else if (o.blocks > (bytes - o.offset) / o.bs) {
		fprintf(stderr, "salua_vio: region beyond the end of %s (%" PRIu64
			" bytes)\n", o.dev, bytes);
		return 2;
	}
	if (o.blocks < o.threads) {
		fprintf(stderr, "salua_vio: fewer blocks (%" PRIu64
			") than threads (%u)\n", o.blocks, o.threads);
		return 2;
	}
	if (o.timeline) {
		tl = fopen(o.timeline, "w");
		if (!tl) {
			fprintf(stderr, "salua_vio: %s: %s\n", o.timeline,
				strerror(errno));
			return 2;
		}
		setvbuf(tl, NULL, _IOFBF, 1 << 16);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	th = calloc(o.threads, sizeof(*th));
	if (!th)
		return 2;
	per = o.blocks / o.threads;
	t_start_us = now_us();
	if (tl)
		fprintf(tl, "# salua_vio timeline: device %s bs %u blocks %" PRIu64
			" threads %u seed %u start_us %" PRIu64
			"\n# t_done_us op block lat_us status\n",
			o.dev, o.bs, o.blocks, o.threads, o.seed, t_start_us);
	for (i = 0; i < o.threads; i++) {
		struct vio_thread *t = &th[i];

		t->idx = i;
		t->first = i * per;
		t->nblocks = i + 1 == o.threads ? o.blocks - t->first : per;
		/* A region too large for this machine's size_t is out of memory. */
		if (t->nblocks > SIZE_MAX / sizeof(*t->hi)) {
			fprintf(stderr, "salua_vio: out of memory\n");
			return 2;
		}
		t->gen = calloc((size_t)t->nblocks, sizeof(*t->gen));
		t->hi = calloc((size_t)t->nblocks, sizeof(*t->hi));
		t->rng = o.seed ^ (uint64_t)i << 40;
		if (!t->gen || !t->hi ||
		    posix_memalign((void **)&t->buf, 4096, o.bs) ||
		    posix_memalign((void **)&t->rbuf, 4096, o.bs)) {
			fprintf(stderr, "salua_vio: out of memory\n");
			return 2;
		}
		if (pthread_create(&t->tid, NULL, worker, t)) {
			fprintf(stderr, "salua_vio: cannot start thread %u\n", i);
			return 2;
		}
	}
	printf("VIO-START device=%s bs=%u blocks=%" PRIu64 " threads=%u seed=%u start_us=%" PRIu64 "\n",
	       o.dev, o.bs, o.blocks, o.threads, o.seed, t_start_us);
	fflush(stdout);
	if (o.interval > 0)
		next_prog = t_start_us + (uint64_t)(o.interval * 1e6);
	/*
	 * The main thread watches the stop file, prints progress, and gives
	 * up on threads still blocked in an I/O VIO_HANG_S after a stop was
	 * asked for (an I/O queued forever must not hide the report).
	 */
	for (;;) {
		unsigned done;

		pthread_mutex_lock(&mu);
		done = threads_done;
		pthread_mutex_unlock(&mu);
		if (done == o.threads)
			break;
		if (o.stop_file && access(o.stop_file, F_OK) == 0)
			stop_flag = 1;
		if (!o.stop_at_us && (stop_flag || (o.duration > 0 &&
			now_us() >= t_start_us + (uint64_t)(o.duration * 1e6))))
			o.stop_at_us = now_us();
		if (o.stop_at_us && now_us() - o.stop_at_us > VIO_HANG_S * 1000000u) {
			hung = o.threads - done;
			break;
		}
		if (next_prog && now_us() >= next_prog) {
			progress(now_us());
			next_prog += (uint64_t)(o.interval * 1e6);
		}
		usleep(20000);
	}
	if (!hung)
		for (i = 0; i < o.threads; i++)
			pthread_join(th[i].tid, NULL);
	t_end = now_us();
	pthread_mutex_lock(&mu);
	if (tl && fflush(tl) != 0)
		fprintf(stderr, "salua_vio: %s: write error\n", o.timeline);
	printf("VIO ios=%" PRIu64 " writes=%" PRIu64 " reads=%" PRIu64
	       " errors=%" PRIu64 " werr=%" PRIu64 " rerr=%" PRIu64
	       " mismatches=%" PRIu64 " hung=%u"
	       " max_pause_us=%" PRIu64 " max_pause_at_us=%" PRIu64
	       " elapsed_us=%" PRIu64 " first_errno=%d\n",
	       st.writes + st.reads + st.werr + st.rerr, st.writes, st.reads,
	       st.werr + st.rerr, st.werr, st.rerr, st.mismatches, hung,
	       st.top[0].len_us, st.top[0].from_us, t_end - t_start_us,
	       st.first_errno);
	for (i = 0; i < VIO_TOP_PAUSES && st.top[i].len_us; i++)
		printf("VIO-PAUSE %u %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", i + 1,
		       st.top[i].len_us, st.top[i].from_us,
		       st.top[i].from_us + st.top[i].len_us);
	fflush(stdout);
	if (hung) {
		/* Threads may still complete: never let them race exit(). */
		_exit(1);
	}
	pthread_mutex_unlock(&mu);
	if (tl)
		fclose(tl);
	rc = st.werr + st.rerr + st.mismatches ? 1 : 0;
	fflush(stdout);
	return rc;
}
