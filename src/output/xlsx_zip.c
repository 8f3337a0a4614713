/* How the workbook's zip parts are compressed: libxlsxwriter (1.1.4) writes the xlsx through
 * minizip, deflating every part at zlib's default level 6 on one thread, with no option for
 * either. This file replaces three minizip entry points (ELF symbol interposition: a
 * definition in the program takes precedence over libminizip's, which it calls through
 * dlsym(RTLD_NEXT)):
 *
 *  - zipOpenNewFileInZip4_64: PNGs (and JPEGs) are stored, since they do not compress
 *    (2-4%); every other part is deflated at the fastest level (zlib's level 6 does 38 MB/s
 *    to 14.5% on the sheet below: the file is about 25% larger, ten times faster).
 *  - zipWriteInFileInZip / zipCloseFileInZip: a deflated part is opened in minizip's raw mode
 *    and compressed here, pigz-style, in CHUNK-sized pieces on two threads (the caller and a
 *    helper started once a part passes one chunk): each piece is a raw deflate stream primed
 *    with the previous piece's last 32 KiB (a preset dictionary, so the ratio stays that of
 *    one stream) and ended on a byte boundary (a sync flush; the last one ends the stream),
 *    so the pieces written in order are one valid deflate stream; the CRC-32 is combined
 *    from the pieces' (zlib's crc32_combine). When kith report writes the workbook's zip the
 *    other threads are done or nearly (1M persons: 1.7 GB of XML).
 *    The pieces are deflated by ISA-L's igzip at its level 1, not zlib: on a 370 MB sheet
 *    it does 386 MB/s to 18.2% of the size where zlib's level 1 does 107 MB/s to 19.1%.
 *
 * An XML part must end with the closing tag of its root element: libxlsxwriter writes each
 * sheet to a temporary file first and does not check those writes, so on a full disk it
 * would zip a sheet cut short into a workbook that says nothing was wrong. Such a part fails
 * its close (kith_xlsx_zip_take_problem says which).
 *
 * The output depends only on the input bytes (fixed piece size, fixed level), never on which
 * thread compressed a piece, so the file stays deterministic (on one kind of processor: igzip
 * picks its code for the processor, and another may encode the same XML differently). A part's state lives in the
 * thread that writes it (libxlsxwriter opens, writes and closes each part in turn), so two
 * workbooks written by two threads do not meet. When the state cannot be allocated the part
 * is simply deflated by minizip at level 1. A libxlsxwriter that does not use these entry
 * points keeps its own level. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "xlsx_zip.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <zlib.h>

#define LEVEL 1 /* minizip's own deflate (parts not compressed here) */
#define CHUNK (256u << 10) /* input bytes per piece: ~2 ms of deflate, many per sheet */
#define DICT 32768u        /* deflate's window */
/* zeroed bytes after a piece's input: igzip reads a little past its end, and stale bytes
 * there would change its matches (the output must depend on the input only) */
#define SLACK 256
#define SLOTS 4            /* pieces in flight: both threads busy, the writer never starved */
/* room for a compressed piece: igzip falls back to stored blocks (5 bytes per 64 KiB) when
 * a piece does not compress, plus the block headers and the flush marker */
#define OUT_CAP (CHUNK + CHUNK / 16 + 4096)

#define ZIP_OK 0
#define ZIP_ERRNO (-1)
#define ZIP_INTERNALERROR (-104)
#define HEAD 256 /* bytes kept from a part's start: its root element's name */
#define TAIL 64  /* bytes kept from its end: the closing tag */

typedef int (*zip_open_fn)(void *, const char *, const void *, const void *, unsigned, const void *,
                           unsigned, const char *, int, int, int, int, int, int, const char *,
                           unsigned long, unsigned long, unsigned long, int);
typedef int (*zip_write_fn)(void *, const void *, unsigned);
typedef int (*zip_close_fn)(void *);
typedef int (*zip_close_raw_fn)(void *, unsigned long long, unsigned long);
typedef int (*zip_end_fn)(void *, const char *);

static zip_open_fn real_open;
static zip_write_fn real_write;
static zip_close_fn real_close;
static zip_close_raw_fn real_close_raw;
static zip_end_fn real_end;
static pthread_once_t found_once = PTHREAD_ONCE_INIT;

static void find_minizip(void)
{
    *(void **)&real_open = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    *(void **)&real_write = dlsym(RTLD_NEXT, "zipWriteInFileInZip");
    *(void **)&real_close = dlsym(RTLD_NEXT, "zipCloseFileInZip");
    *(void **)&real_close_raw = dlsym(RTLD_NEXT, "zipCloseFileInZipRaw64");
    *(void **)&real_end = dlsym(RTLD_NEXT, "zipClose");
}

/* ---------------------------------------------------------------------------------------- */
/* One part, compressed in pieces                                                             */

enum { FREE, READY, BUSY, DONE };

/* One thread's igzip stream and its level-1 work buffer (NULL: not made). */
typedef struct {
    struct isal_zstream s;
    uint8_t *level_buf;
} squeezer;

static bool squeezer_init(squeezer *z)
{
    z->level_buf = malloc(ISAL_DEF_LVL1_DEFAULT);
    return z->level_buf != NULL;
}

typedef struct {
    unsigned char in[CHUNK + SLACK];
    size_t n_in;
    unsigned char dict[DICT]; /* the input just before this piece */
    size_t n_dict;
    unsigned char *out; /* OUT_CAP bytes */
    size_t n_out;
    unsigned long crc;
    bool last;
    int state;
    bool failed;
} piece;

typedef struct {
    void *file;
    char name[128]; /* the part's name in the zip, for the message */
    char head[HEAD], tail[TAIL];
    size_t n_head, n_tail;
    piece p[SLOTS];
    uint64_t filled;  /* pieces handed over (the one being filled is number `filled`) */
    uint64_t written; /* pieces written to the zip, in order */
    uint64_t total_in;
    unsigned long crc;
    squeezer zs[2]; /* [0] the writing thread's, [1] the helper's (made with the helper) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t helper;
    bool helper_tried, helper_on, stop;
} part;

static _Thread_local part *cur; /* the part this thread is writing, if compressed here */
static _Thread_local char problem[256];

const char *kith_xlsx_zip_take_problem(void)
{
    static _Thread_local char taken[sizeof problem];
    if (!problem[0])
        return NULL;
    memcpy(taken, problem, sizeof taken);
    problem[0] = '\0';
    return taken;
}

/* Keeps the part's first HEAD and last TAIL bytes. */
static void remember(part *w, const unsigned char *b, size_t n)
{
    size_t k = n < HEAD - w->n_head ? n : HEAD - w->n_head;
    memcpy(w->head + w->n_head, b, k);
    w->n_head += k;
    if (n >= TAIL) {
        memcpy(w->tail, b + n - TAIL, TAIL);
        w->n_tail = TAIL;
    } else {
        size_t keep = w->n_tail + n > TAIL ? TAIL - n : w->n_tail;
        memmove(w->tail, w->tail + w->n_tail - keep, keep);
        memcpy(w->tail + keep, b, n);
        w->n_tail = keep + n;
    }
}

/* True unless the part is XML whose end is not the closing tag of its root element. */
static bool complete(const part *w)
{
    size_t i = 0;
    while (i < w->n_head && isspace((unsigned char)w->head[i]))
        i++;
    if (i == w->n_head || w->head[i] != '<')
        return true; /* not XML: nothing to check */
    /* the root: the first element after the declaration and comments */
    for (;;) {
        const char *lt = memchr(w->head + i, '<', w->n_head - i);
        if (!lt || lt + 1 >= w->head + w->n_head)
            return w->n_head == HEAD; /* no root in the first HEAD bytes: cannot tell */
        i = (size_t)(lt - w->head) + 1;
        if (w->head[i] != '?' && w->head[i] != '!')
            break;
    }
    size_t n = 0;
    while (i + n < w->n_head && !isspace((unsigned char)w->head[i + n]) && w->head[i + n] != '>' &&
           w->head[i + n] != '/')
        n++;
    size_t t = w->n_tail;
    while (t > 0 && isspace((unsigned char)w->tail[t - 1]))
        t--;
    if (i + n == w->n_head && w->n_head == HEAD)
        return true; /* a root name longer than HEAD: cannot tell */
    return n > 0 && t >= n + 3 && w->tail[t - n - 3] == '<' && w->tail[t - n - 2] == '/' &&
           memcmp(w->tail + t - n - 1, w->head + i, n) == 0 && w->tail[t - 1] == '>';
}

/* Compresses piece q with z (either thread, without the lock: the piece is BUSY). */
static void squeeze(squeezer *z, piece *q)
{
    struct isal_zstream *s = &z->s;
    q->crc = crc32_gzip_refl(0, q->in, q->n_in); /* zlib's CRC-32, faster */
    memset(q->in + q->n_in, 0, SLACK);
    memset(q->out, 0, OUT_CAP); /* igzip's bytes also depend on what its output held before */
    isal_deflate_init(s);
    s->level = 1;
    s->level_buf = z->level_buf;
    s->level_buf_size = ISAL_DEF_LVL1_DEFAULT;
    s->gzip_flag = IGZIP_DEFLATE;
    s->end_of_stream = q->last;
    s->flush = q->last ? NO_FLUSH : SYNC_FLUSH;
    bool ok = q->n_dict == 0 || isal_deflate_set_dict(s, q->dict, (uint32_t)q->n_dict) == COMP_OK;
    s->next_in = q->in;
    s->avail_in = (uint32_t)q->n_in;
    s->next_out = q->out;
    s->avail_out = OUT_CAP;
    /* done when every byte is in and the stream is ended (the last piece) or flushed to a
     * byte boundary, ready for a next block (the others) */
    int done = q->last ? ZSTATE_END : ZSTATE_NEW_HDR, rc = COMP_OK;
    while (ok && rc == COMP_OK && s->avail_out > 0 &&
           (s->avail_in > 0 || (int)s->internal_state.state != done))
        rc = isal_deflate(s);
    ok = ok && rc == COMP_OK && s->avail_in == 0 && (int)s->internal_state.state == done;
    q->n_out = (size_t)(s->next_out - q->out);
    q->failed = !ok;
}

/* Compresses the oldest piece nobody has taken yet with zs, the lock released meanwhile.
 * False when there is none. Called and returns with the lock held. */
static bool squeeze_one(part *w, squeezer *zs)
{
    piece *q = NULL;
    for (uint64_t k = w->written; k < w->filled && !q; k++)
        if (w->p[k % SLOTS].state == READY)
            q = &w->p[k % SLOTS];
    if (!q)
        return false;
    q->state = BUSY;
    pthread_mutex_unlock(&w->mu);
    squeeze(zs, q);
    pthread_mutex_lock(&w->mu);
    q->state = DONE;
    pthread_cond_broadcast(&w->cv);
    return true;
}

static void *helper_main(void *arg)
{
    part *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        if (squeeze_one(w, &w->zs[1]))
            continue;
        if (w->stop)
            break;
        pthread_cond_wait(&w->cv, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Writes the oldest piece to the zip. Until it is compressed this thread compresses the
 * oldest piece nobody has taken (that one, or a later one while the helper has it), and
 * waits only when there is none. Called by the writing thread only. */
static int flush_oldest(part *w)
{
    piece *q = &w->p[w->written % SLOTS];
    pthread_mutex_lock(&w->mu);
    while (q->state != DONE)
        if (!squeeze_one(w, &w->zs[0]))
            pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
    if (q->failed)
        return ZIP_INTERNALERROR;
    w->crc = crc32_combine(w->crc, q->crc, (z_off_t)q->n_in);
    w->total_in += q->n_in;
    int rc = real_write(w->file, q->out, (unsigned)q->n_out);
    pthread_mutex_lock(&w->mu);
    q->state = FREE;
    w->written++;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* Hands the piece being filled over (READY) and starts the next one with its dictionary. */
static int hand_over(part *w, bool last)
{
    piece *q = &w->p[w->filled % SLOTS];
    q->last = last;
    pthread_mutex_lock(&w->mu);
    q->state = READY;
    w->filled++;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    if (last)
        return ZIP_OK;
    /* a second piece: the part is big enough for the helper (one try; without it the
     * writing thread compresses every piece itself) */
    if (!w->helper_tried) {
        w->helper_tried = true;
        w->helper_on = squeezer_init(&w->zs[1]) &&
                       pthread_create(&w->helper, NULL, helper_main, w) == 0;
    }
    while (w->filled - w->written >= SLOTS) { /* the next slot is still in use */
        int rc = flush_oldest(w);
        if (rc != ZIP_OK)
            return rc;
    }
    piece *n = &w->p[w->filled % SLOTS];
    n->n_dict = q->n_in < DICT ? q->n_in : DICT;
    memcpy(n->dict, q->in + q->n_in - n->n_dict, n->n_dict);
    n->n_in = 0;
    return ZIP_OK;
}

static void part_free(part *w)
{
    if (!w)
        return;
    if (w->helper_on) {
        pthread_mutex_lock(&w->mu);
        w->stop = true;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->helper, NULL);
    }
    for (int i = 0; i < 2; i++)
        free(w->zs[i].level_buf);
    for (int i = 0; i < SLOTS; i++)
        free(w->p[i].out);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}

static part *part_new(void *file)
{
    part *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->file = file;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    bool ok = squeezer_init(&w->zs[0]);
    for (int i = 0; i < SLOTS && ok; i++)
        ok = (w->p[i].out = malloc(OUT_CAP)) != NULL;
    if (!ok) {
        part_free(w);
        return NULL;
    }
    return w;
}

/* ---------------------------------------------------------------------------------------- */
/* The minizip entry points                                                                   */

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned n_extra_local,
                            const void *extra_global, unsigned n_extra_global, const char *comment,
                            int method, int level, int raw, int window_bits, int mem_level,
                            int strategy, const char *password, unsigned long crc_for_crypto,
                            unsigned long version_made_by, unsigned long flag_base, int zip64);
int zipWriteInFileInZip(void *file, const void *buf, unsigned len);
int zipCloseFileInZip(void *file);
int zipClose(void *file, const char *global_comment);

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned n_extra_local,
                            const void *extra_global, unsigned n_extra_global, const char *comment,
                            int method, int level, int raw, int window_bits, int mem_level,
                            int strategy, const char *password, unsigned long crc_for_crypto,
                            unsigned long version_made_by, unsigned long flag_base, int zip64)
{
    pthread_once(&found_once, find_minizip);
    if (!real_open)
        return ZIP_INTERNALERROR; /* no minizip below us */
    part_free(cur);               /* a part never closed (an earlier error) */
    cur = NULL;
    if (method == Z_DEFLATED && !raw && !password && filename) {
        if (ends_with(filename, ".png") || ends_with(filename, ".jpeg"))
            method = 0; /* stored */
        else {
            level = LEVEL;
            if (real_write && real_close && real_close_raw && (cur = part_new(file))) {
                raw = 1; /* the bytes arrive deflated, from here */
                snprintf(cur->name, sizeof cur->name, "%s", filename);
            }
        }
    }
    int rc = real_open(file, filename, zipfi, extra_local, n_extra_local, extra_global,
                       n_extra_global, comment, method, level, raw, window_bits, mem_level,
                       strategy, password, crc_for_crypto, version_made_by, flag_base, zip64);
    if (rc != ZIP_OK) {
        part_free(cur);
        cur = NULL;
    }
    return rc;
}

int zipWriteInFileInZip(void *file, const void *buf, unsigned len)
{
    pthread_once(&found_once, find_minizip);
    part *w = cur;
    if (!w || w->file != file)
        return real_write ? real_write(file, buf, len) : ZIP_INTERNALERROR;
    const unsigned char *b = buf;
    remember(w, b, len);
    while (len > 0) {
        piece *q = &w->p[w->filled % SLOTS];
        size_t k = CHUNK - q->n_in < len ? CHUNK - q->n_in : len;
        memcpy(q->in + q->n_in, b, k);
        q->n_in += k;
        b += k;
        len -= (unsigned)k;
        if (q->n_in == CHUNK) {
            int rc = hand_over(w, false);
            if (rc != ZIP_OK) { /* libxlsxwriter gives up without closing: drop the part */
                part_free(w);
                cur = NULL;
                return rc;
            }
        }
    }
    return ZIP_OK;
}

int zipCloseFileInZip(void *file)
{
    pthread_once(&found_once, find_minizip);
    part *w = cur;
    if (!w || w->file != file)
        return real_close ? real_close(file) : ZIP_INTERNALERROR;
    int rc = ZIP_OK;
    if (!complete(w)) {
        snprintf(problem, sizeof problem,
                 "%s came out cut short: a temporary file could not be written in full "
                 "(is the disk full?)",
                 w->name);
        errno = EIO;
        rc = ZIP_ERRNO;
    }
    if (rc == ZIP_OK)
        rc = hand_over(w, true); /* the last piece, maybe empty: it carries Z_FINISH */
    while (rc == ZIP_OK && w->written < w->filled)
        rc = flush_oldest(w);
    if (rc == ZIP_OK)
        rc = real_close_raw(file, w->total_in, w->crc);
    part_free(w);
    cur = NULL;
    return rc;
}

/* The whole zip: a part left open by an error is dropped with it. */
int zipClose(void *file, const char *global_comment)
{
    pthread_once(&found_once, find_minizip);
    if (cur && cur->file == file) {
        part_free(cur);
        cur = NULL;
    }
    return real_end ? real_end(file, global_comment) : ZIP_INTERNALERROR;
}
