/* mbox reader (Gmail Takeout, export-formats §5) on gmime: one e-mail exchange per message.
 *
 * Only this file includes <gmime/gmime.h>. The parser streams the file message by message
 * (GMIME_FORMAT_MBOX over a file stream; bodies stay on disk as substreams), so memory grows
 * with one message's headers plus the set of Message-IDs seen, never with the archive. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gmime/gmime.h>

#include "lines.h"
#include "mbox.h"
#include "reader.h"

/* The graph ignores groups of more than 20 participants besides the owner (spec §3.2): do
 * not even record them. The owner may be one of these, so the cut is at 21. */
enum { MAX_GROUP_PARTICIPANTS = 21, MAX_TO = 4096 };

/* ---- labels -------------------------------------------------------------------------- */

unsigned kith_mbox_labels(const char *v)
{
    unsigned f = 0;
    if (!v)
        return 0;
    char label[256];
    const char *s = v;
    while (*s) {
        size_t n = 0;
        bool q = false;
        while (*s && isspace((unsigned char)*s))
            s++;
        for (; *s && (q || *s != ','); s++) {
            if (*s == '"') {
                q = !q;
                continue;
            }
            if (*s == '\r' || *s == '\n')
                continue; /* a folded header */
            if (n + 1 < sizeof label)
                label[n++] = *s;
        }
        if (*s == ',')
            s++;
        while (n && isspace((unsigned char)label[n - 1]))
            n--;
        label[n] = '\0';
        if (!strcasecmp(label, "Sent"))
            f |= KITH_MBOX_SENT;
        else if (!strcasecmp(label, "Spam"))
            f |= KITH_MBOX_SPAM;
        else if (!strcasecmp(label, "Trash"))
            f |= KITH_MBOX_TRASH;
        else if (!strcasecmp(label, "Chat") || !strcasecmp(label, "Chats"))
            f |= KITH_MBOX_CHAT;
        else if (!strcasecmp(label, "Draft") || !strcasecmp(label, "Drafts"))
            f |= KITH_MBOX_DRAFT;
    }
    return f;
}

/* ---- the separator's timestamp ------------------------------------------------------- */

static int month_index(const char *m)
{
    static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (!strncasecmp(m, names[i], 3))
            return i;
    return -1;
}

int64_t kith_mbox_separator_time(const char *line)
{
    /* "From <sender> Ddd Mmm DD HH:MM:SS [+zzzz] YYYY" (asctime, optionally with a zone) */
    char tok[8][64];
    int n = 0;
    const char *s = line;
    if (strncmp(s, "From ", 5) == 0)
        s += 5;
    while (*s && n < 8) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '\r' || *s == '\n')
            break;
        size_t k = 0;
        while (*s && !isspace((unsigned char)*s)) {
            if (k + 1 < sizeof tok[0])
                tok[n][k++] = *s;
            s++;
        }
        tok[n++][k] = '\0';
    }
    /* tok[0] is the sender; find the month name after the weekday */
    for (int i = 1; i + 3 < n + 1 && i < n; i++) {
        int mon = month_index(tok[i]);
        if (mon < 0 || strlen(tok[i]) != 3 || i + 2 >= n)
            continue;
        int day = atoi(tok[i + 1]), hh, mm, ss = 0;
        if (sscanf(tok[i + 2], "%d:%d:%d", &hh, &mm, &ss) < 2)
            return KITH_NO_TIME;
        int off = 0;
        int yi = i + 3;
        if (yi < n && (tok[yi][0] == '+' || tok[yi][0] == '-') && strlen(tok[yi]) == 5) {
            int z = atoi(tok[yi] + 1);
            off = (z / 100) * 3600 + (z % 100) * 60;
            if (tok[yi][0] == '-')
                off = -off;
            yi++;
        } else if (yi < n && isalpha((unsigned char)tok[yi][0])) {
            yi++; /* a zone name ("UTC"): taken as UTC */
        }
        if (yi >= n)
            return KITH_NO_TIME;
        int year = atoi(tok[yi]);
        if (year < 1970 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
            return KITH_NO_TIME;
        struct tm tm = {.tm_year = year - 1900,
                        .tm_mon = mon,
                        .tm_mday = day,
                        .tm_hour = hh,
                        .tm_min = mm,
                        .tm_sec = ss};
        return (int64_t)timegm(&tm) - off;
    }
    return KITH_NO_TIME;
}

/* ---- the reader ---------------------------------------------------------------------- */

typedef struct {
    kith_ingest *ing;
    int32_t *to;
    size_t n_to;
    size_t n_participants;
    bool overflow;
} addr_ctx;

/* Corporate address books write "Last, First": split it so the name key reads "first last",
 * unless what follows the comma is a credential or suffix ("Lee Park, PhD"). */
static bool split_last_first(const char *name, char *first, char *last, size_t cap)
{
    static const char *suffixes[] = {"phd", "md", "mba", "cpa", "pmp", "jr",   "jr.", "sr",
                                     "sr.", "ii", "iii", "iv",  "esq", "esq.", "msc", "bsc"};
    const char *c = strchr(name, ',');
    if (!c || strchr(c + 1, ',') || c == name)
        return false;
    const char *f = c + 1;
    while (isspace((unsigned char)*f))
        f++;
    size_t fn = strlen(f), ln = (size_t)(c - name);
    while (fn && isspace((unsigned char)f[fn - 1]))
        fn--;
    while (ln && isspace((unsigned char)name[ln - 1]))
        ln--;
    if (!fn || !ln || fn >= cap || ln >= cap)
        return false;
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
        if (strlen(suffixes[i]) == fn && !strncasecmp(f, suffixes[i], fn))
            return false;
    memcpy(first, f, fn);
    first[fn] = '\0';
    memcpy(last, name, ln);
    last[ln] = '\0';
    return true;
}

static int32_t who_of(kith_ingest *ing, InternetAddress *ia)
{
    const char *name = internet_address_get_name(ia);
    const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
    if (addr && !strchr(addr, '@'))
        addr = NULL; /* "undisclosed-recipients" and the like */
    if (name && !*name)
        name = NULL;
    if (!name && !addr)
        return -1;
    kith_who w = {.name = name, .email = addr};
    char first[256], last[256];
    if (name && split_last_first(name, first, last, sizeof first)) {
        w.name = NULL;
        w.first = first;
        w.last = last;
    }
    return kith_ingest_who(ing, &w);
}

static void add_list(addr_ctx *a, InternetAddressList *list)
{
    if (!list)
        return;
    int n = internet_address_list_length(list);
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            add_list(a, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        if (a->n_to >= MAX_TO) {
            a->overflow = true;
            continue;
        }
        int32_t id = who_of(a->ing, ia);
        if (id < 0)
            continue;
        bool dup = false;
        for (size_t k = 0; k < a->n_to && !dup; k++)
            dup = a->to[k] == id;
        if (!dup)
            a->to[a->n_to++] = id;
    }
}

static bool is_bulk(GMimeObject *o)
{
    if (g_mime_object_get_header(o, "List-Id") || g_mime_object_get_header(o, "List-Unsubscribe"))
        return true;
    /* RFC 3834: anything but "no" is machine-sent (notifications, auto-replies) */
    const char *a = g_mime_object_get_header(o, "Auto-Submitted");
    if (a) {
        while (isspace((unsigned char)*a))
            a++;
        if (*a && strncasecmp(a, "no", 2) != 0)
            return true;
    }
    const char *p = g_mime_object_get_header(o, "Precedence");
    if (!p)
        return false;
    while (isspace((unsigned char)*p))
        p++;
    return !strncasecmp(p, "bulk", 4) || !strncasecmp(p, "list", 4) || !strncasecmp(p, "junk", 4);
}

/* A zip member has no file descriptor: a read-only, non-seekable GMimeStream over the
 * kith_stream lets gmime parse it in constant memory all the same (without seeking, the
 * parser copies each message's parts, one message at a time). */
typedef struct {
    GMimeStream parent;
    kith_stream *ks;
    kith_diag *d;
    gboolean eos, failed;
} KithGStream;
typedef struct {
    GMimeStreamClass parent_class;
} KithGStreamClass;

G_DEFINE_TYPE(KithGStream, kith_gstream, GMIME_TYPE_STREAM)

static ssize_t kgs_read(GMimeStream *stream, char *buf, size_t len)
{
    KithGStream *k = (KithGStream *)stream;
    if (k->eos || k->failed)
        return k->failed ? -1 : 0;
    long got = kith_stream_read(k->ks, buf, len, k->d);
    if (got < 0) {
        k->failed = TRUE;
        return -1;
    }
    if (got == 0)
        k->eos = TRUE;
    stream->position += got;
    return (ssize_t)got;
}
static ssize_t kgs_write(GMimeStream *s, const char *b, size_t n)
{
    (void)s, (void)b, (void)n;
    return -1;
}
static int kgs_flush(GMimeStream *s)
{
    (void)s;
    return 0;
}
static int kgs_close(GMimeStream *s)
{
    (void)s;
    return 0;
}
static gboolean kgs_eos(GMimeStream *s)
{
    return ((KithGStream *)s)->eos;
}
static int kgs_reset(GMimeStream *s)
{
    (void)s;
    return -1;
}
static gint64 kgs_seek(GMimeStream *s, gint64 o, GMimeSeekWhence w)
{
    (void)s, (void)o, (void)w;
    return -1;
}
static gint64 kgs_tell(GMimeStream *s)
{
    (void)s;
    return -1;
}
static gint64 kgs_length(GMimeStream *s)
{
    (void)s;
    return -1;
}
static GMimeStream *kgs_substream(GMimeStream *s, gint64 a, gint64 b)
{
    (void)s, (void)a, (void)b;
    return NULL;
}

static void kith_gstream_class_init(KithGStreamClass *klass)
{
    GMimeStreamClass *c = GMIME_STREAM_CLASS(klass);
    c->read = kgs_read;
    c->write = kgs_write;
    c->flush = kgs_flush;
    c->close = kgs_close;
    c->eos = kgs_eos;
    c->reset = kgs_reset;
    c->seek = kgs_seek;
    c->tell = kgs_tell;
    c->length = kgs_length;
    c->substream = kgs_substream;
}

static void kith_gstream_init(KithGStream *k)
{
    (void)k;
}

/* A file stream when the input is on disk (seekable: bodies stay on disk); else a stream over
 * the kith_stream. */
static GMimeStream *open_stream(kith_stream *s, kith_diag *d, kith_err *err)
{
    const char *path = kith_stream_path(s);
    if (path) {
        GError *gerr = NULL;
        GMimeStream *fs = g_mime_stream_fs_open(path, O_RDONLY, 0, &gerr);
        if (!fs) {
            *err = kith_diag_set(d, KITH_ERR_IO, kith_stream_name(s), 0, "%s",
                                 gerr ? gerr->message : "cannot open");
            g_clear_error(&gerr);
        }
        return fs;
    }
    KithGStream *k = g_object_new(kith_gstream_get_type(), NULL);
    g_mime_stream_construct(GMIME_STREAM(k), 0, -1);
    k->ks = s;
    k->d = d;
    return GMIME_STREAM(k);
}

/* gmime cannot be initialized again after g_mime_shutdown() (its charset tables stay
 * freed): initialize once per process, shut down at exit. */
static void gmime_shutdown_at_exit(void)
{
    g_mime_shutdown();
}

static void gmime_once(void)
{
    static bool ready;
    if (!ready) {
        g_mime_init();
        atexit(gmime_shutdown_at_exit);
        ready = true;
    }
}

/* gmime holds a message's header block in memory, several times over (a 100 MiB header took
 * 500 MiB): an mbox on disk is scanned first, streaming, and refused with the line of the
 * first header field over MAX_HEADER_FIELD or header block over MAX_HEADER_BLOCK. */
#define MAX_HEADER_FIELD ((size_t)1 << 20)
#define MAX_HEADER_BLOCK ((size_t)8 << 20)

static kith_err check_headers(const char *path, const char *name, kith_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return KITH_OK; /* gmime's open reports it */
    kith_err err = KITH_OK;
    char buf[65536];
    bool in_header = true;
    size_t field = 0, block = 0, len = 0, npre = 0;
    char pre[5];
    long line = 1;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        size_t pos = 0;
        while (pos < got) {
            char *nl = memchr(buf + pos, '\n', got - pos);
            size_t n = (nl ? (size_t)(nl - buf) : got) - pos;
            for (size_t i = 0; npre < sizeof pre && i < n; i++)
                pre[npre++] = buf[pos + i];
            if (in_header && n) {
                if (len == 0 && pre[0] != ' ' && pre[0] != '\t')
                    field = 0; /* a new field; a folded line continues the last one */
                field += n;
                block += n;
                if (field > MAX_HEADER_FIELD || block > MAX_HEADER_BLOCK) {
                    err = kith_diag_set(d, KITH_ERR_FORMAT, name, line,
                                        "a mail header over %zu MiB (not a mailbox?)",
                                        (field > MAX_HEADER_FIELD ? MAX_HEADER_FIELD
                                                                  : MAX_HEADER_BLOCK) >> 20);
                    goto cleanup;
                }
            }
            len += n;
            pos += n;
            if (!nl)
                break;
            /* the end of a line */
            if (in_header && (len == 0 || (len == 1 && pre[0] == '\r')))
                in_header = false;
            else if (!in_header && npre == 5 && memcmp(pre, "From ", 5) == 0)
                in_header = true, field = block = 0;
            len = npre = 0;
            line++;
            pos++;
        }
    }
cleanup:
    fclose(f);
    return err;
}

kith_err kith_mbox_read(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    kith_err err = KITH_OK;
    const char *name = kith_stream_name(s);
    GMimeStream *stream = NULL;
    GMimeParser *parser = NULL;
    GHashTable *seen = NULL;
    int32_t *to = NULL;
    long index = 0;
    const int64_t latest_ok = (int64_t)time(NULL) + 86400;
    /* a mail client's sent folder ("Sent", "Sent Items", "Sent Messages") holds only the
     * owner's mail, labels or not */
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *colon = strrchr(base, ':'); /* "archive.zip:Mail/Sent.mbox" */
    if (colon)
        base = colon + 1;
    const char *slash = strrchr(base, '/');
    if (slash)
        base = slash + 1;
    bool sent_folder = !strncasecmp(base, "sent", 4) && !isalpha((unsigned char)base[4]);

    gmime_once();
    kith_ingest_begin_file(ing, name, "mbox");
    if (kith_stream_path(s) && (err = check_headers(kith_stream_path(s), name, d)))
        goto cleanup;
    stream = open_stream(s, d, &err);
    if (!stream)
        goto cleanup;
    parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
    seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    to = malloc(MAX_TO * sizeof *to);
    if (!to) {
        err = kith_diag_set(d, KITH_ERR_NOMEM, name, 0, "out of memory");
        goto cleanup;
    }

    while (!g_mime_parser_eos(parser)) {
        GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
        if (!msg)
            break;
        index++;
        kith_ingest_row(ing);
        GMimeObject *obj = GMIME_OBJECT(msg);
        char *marker = g_mime_parser_get_mbox_marker(parser);
        gint64 offset = g_mime_parser_get_mbox_marker_offset(parser);

        unsigned labels = kith_mbox_labels(g_mime_object_get_header(obj, "X-Gmail-Labels"));
        const char *drop = (labels & KITH_MBOX_SPAM)    ? "spam"
                           : (labels & KITH_MBOX_TRASH) ? "trash"
                           : (labels & KITH_MBOX_CHAT)  ? "chat"
                           : (labels & KITH_MBOX_DRAFT) ? "draft"
                                                        : NULL;
        const char *msgid = g_mime_message_get_message_id(msg);
        /* a Date from a wrong clock in the future would move the export date: the
         * separator's time (when the mail was stored) is then the better guess */
        int64_t t = KITH_NO_TIME;
        GDateTime *dt = g_mime_message_get_date(msg);
        if (dt && g_date_time_to_unix(dt) > 0 && g_date_time_to_unix(dt) <= latest_ok)
            t = g_date_time_to_unix(dt);
        else if (marker)
            t = kith_mbox_separator_time(marker);
        if (t != KITH_NO_TIME && t > latest_ok)
            t = KITH_NO_TIME;

        addr_ctx a = {.ing = ing, .to = to};
        int32_t from = -1;
        if (drop) {
            kith_ingest_drop(ing, drop);
        } else if (msgid && g_hash_table_contains(seen, msgid)) {
            kith_ingest_drop(ing, "duplicate");
        } else if (t == KITH_NO_TIME) {
            err = kith_ingest_skip(ing, 0, d, "no usable date (message %ld at byte %lld)", index,
                                   (long long)offset);
        } else {
            if (msgid)
                g_hash_table_add(seen, g_strdup(msgid));
            InternetAddressList *fl = g_mime_message_get_from(msg);
            for (int i = 0; fl && i < internet_address_list_length(fl) && from < 0; i++) {
                InternetAddress *ia = internet_address_list_get_address(fl, i);
                if (INTERNET_ADDRESS_IS_MAILBOX(ia))
                    from = who_of(ing, ia);
            }
            if (from < 0) {
                err = kith_ingest_skip(ing, 0, d, "no From address (message %ld at byte %lld)",
                                       index, (long long)offset);
            } else {
                if ((labels & KITH_MBOX_SENT) || sent_folder) {
                    InternetAddress *ia = internet_address_list_get_address(fl, 0);
                    if (ia && INTERNET_ADDRESS_IS_MAILBOX(ia)) {
                        const char *addr =
                            internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
                        if (addr && strchr(addr, '@'))
                            kith_ingest_owner_email_vote(ing, addr);
                    }
                }
                add_list(&a, g_mime_message_get_to(msg));
                add_list(&a, g_mime_message_get_cc(msg));
                /* the sender copying themselves is not a recipient */
                size_t w = 0;
                for (size_t k = 0; k < a.n_to; k++)
                    if (a.to[k] != from)
                        a.to[w++] = a.to[k];
                a.n_to = w;
                int32_t group = -1;
                if (!is_bulk(obj) && !a.overflow && a.n_to + 1 <= MAX_GROUP_PARTICIPANTS) {
                    char key[320];
                    if (msgid)
                        snprintf(key, sizeof key, "%s", msgid);
                    else
                        snprintf(key, sizeof key, "%s@%lld", name, (long long)offset);
                    group = kith_ingest_group(ing, key);
                }
                kith_ingest_exchange(ing, t, KITH_K_EMAIL, from, a.to, a.n_to, group, 0);
            }
        }
        g_free(marker);
        g_object_unref(msg);
        if (err)
            goto cleanup;
    }
    if (G_TYPE_CHECK_INSTANCE_TYPE(stream, kith_gstream_get_type()) &&
        ((KithGStream *)stream)->failed)
        err = KITH_ERR_IO; /* d filled by kith_stream_read */

cleanup:
    kith_ingest_end_file(ing);
    free(to);
    if (seen)
        g_hash_table_destroy(seen);
    if (parser)
        g_object_unref(parser);
    if (stream)
        g_object_unref(stream);
    return err;
}

int kith_mbox_sniff(const char *base_name, const char *head, size_t n)
{
    (void)base_name;
    if (n < 6 || strncmp(head, "From ", 5) != 0)
        return 0;
    /* the next line must look like a header ("Name: value") */
    const char *nl = memchr(head, '\n', n);
    if (!nl)
        return 0;
    const char *l = nl + 1, *end = head + n;
    const char *p = l;
    while (p < end && *p != ':' && *p != '\n' && !isspace((unsigned char)*p))
        p++;
    return p > l && p < end && *p == ':';
}

const kith_format kith_mbox_formats[] = {
    {"mbox", kith_mbox_sniff, kith_mbox_read},
    {NULL, NULL, NULL},
};
