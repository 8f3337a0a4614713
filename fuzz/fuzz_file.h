/* For the fuzz targets whose parser wants a path but no particular file name (mbox on gmime's
 * fd, the report definitions; the zip target needs a ".zip" name and keeps its temp file):
 * the input goes into one in-memory file made once per process, named /proc/self/fd/N, so a
 * run costs a truncate and a write instead of creating, writing and unlinking a file on disk,
 * and a killed fuzzer leaves nothing behind. Each open of the name reads the current bytes. */
#ifndef KITH_FUZZ_FILE_H
#define KITH_FUZZ_FILE_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The path of a file holding exactly data[0..size); aborts when that cannot be had. */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("kith-fuzz", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0)
        abort();
    size_t done = 0;
    while (done < size) {
        ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
        if (w <= 0)
            abort();
        done += (size_t)w;
    }
    return path;
}

#endif
