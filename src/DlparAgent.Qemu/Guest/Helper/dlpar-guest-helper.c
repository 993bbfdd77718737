/*
 * dlpar-guest-helper: carries out, inside the real-Linux test guest, the system calls that
 * DlparAgent's Linux backend makes on the host (RemoteNative). It decides nothing: every path,
 * byte, flag and sequence comes from the host; it only performs the call and returns the result
 * and errno. Test and tool infrastructure, built with Debian's gcc-powerpc64le-linux-gnu.
 *
 * Frames, little-endian, on the channel given as argv[1] (hvc1, put into raw mode):
 *   request:  "DLPR", u32 length (of the rest), u32 id, u32 op, payload
 *   response: u32 length (of the rest), u32 id, i64 result, i32 errno, payload
 * Each request runs on its own thread, so a blocking read or lock does not stall the others.
 * A request starts with a magic word so that the helper finds the next request again after a
 * client went away mid-frame; a frame whose rest does not come within 3 s is dropped. A new
 * client starts with OP_RESET, which closes every descriptor the previous ones left open (and
 * so releases their locks, as the kernel would have at their exit). Once the channel is raw,
 * argv[2] is created to say so.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

enum op {
    OP_OPEN = 1, OP_CLOSE, OP_READ, OP_WRITE, OP_PREAD, OP_PWRITE, OP_IOCTL, OP_LOCK, OP_RTAS,
    OP_STAT, OP_READLINK, OP_LIST, OP_READFILE, OP_MKDIR, OP_GETEUID, OP_RESET,
};

#define MAX_FRAME (64u << 20)
#define RTAS_ARGS_SIZE 88

static int channel;
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

struct request { uint32_t id, op, length; unsigned char *data; };

static uint32_t u32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t u64(const unsigned char *p) { return u32(p) | (uint64_t)u32(p + 4) << 32; }
static void put32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = v >> (8 * i); }
static void put64(unsigned char *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

/* Reads exactly length bytes: 0, -1 at end or error, or -2 when nothing arrives for timeout_ms (-1: wait forever). */
static int read_within(int fd, unsigned char *buffer, size_t length, int timeout_ms)
{
    while (length > 0) {
        struct pollfd wait = { .fd = fd, .events = POLLIN };
        int ready = poll(&wait, 1, timeout_ms);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0)
            return -2;
        ssize_t n = read(fd, buffer, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buffer += n;
        length -= (size_t)n;
    }
    return 0;
}

/* Closes every descriptor but stdio and the channel: what earlier clients opened and never closed. */
static int reset(void)
{
    int found[1024], count = 0;
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 1024) {
        int fd = atoi(entry->d_name);
        if (fd > 2 && fd != channel && fd != dirfd(dir))
            found[count++] = fd;
    }
    closedir(dir);
    for (int i = 0; i < count; i++)
        close(found[i]);
    return count;
}

static void write_exact(const unsigned char *buffer, size_t length)
{
    while (length > 0) {
        ssize_t n = write(channel, buffer, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(3);
        buffer += n;
        length -= (size_t)n;
    }
}

static void respond(uint32_t id, int64_t result, int error, const void *payload, size_t length)
{
    unsigned char header[20];
    put32(header, (uint32_t)(16 + length));
    put32(header + 4, id);
    put64(header + 8, (uint64_t)result);
    put32(header + 16, (uint32_t)error);
    pthread_mutex_lock(&write_lock);
    write_exact(header, sizeof header);
    if (length > 0)
        write_exact(payload, length);
    pthread_mutex_unlock(&write_lock);
}

/* The rest of the payload from offset as a NUL-terminated path. */
static char *path_at(struct request *r, uint32_t offset)
{
    if (offset > r->length)
        return NULL;
    char *path = malloc(r->length - offset + 1);
    if (path) {
        memcpy(path, r->data + offset, r->length - offset);
        path[r->length - offset] = 0;
    }
    return path;
}

static void read_whole(struct request *r, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        respond(r->id, -1, errno, NULL, 0);
        return;
    }
    size_t size = 0, capacity = 4096;
    unsigned char *content = malloc(capacity);
    for (;;) {
        if (size == capacity) {
            capacity *= 2;
            content = realloc(content, capacity);
        }
        ssize_t n = read(fd, content + size, capacity - size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int error = errno;
            close(fd);
            free(content);
            respond(r->id, -1, error, NULL, 0);
            return;
        }
        if (n == 0 || size + (size_t)n > MAX_FRAME - 64)
            break;
        size += (size_t)n;
    }
    close(fd);
    respond(r->id, (int64_t)size, 0, content, size);
    free(content);
}

static void list(struct request *r, const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        respond(r->id, -1, errno, NULL, 0);
        return;
    }
    size_t size = 0, capacity = 4096;
    unsigned char *entries = malloc(capacity);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
            continue;
        size_t name = strlen(entry->d_name);
        while (size + name + 2 > capacity) {
            capacity *= 2;
            entries = realloc(entries, capacity);
        }
        entries[size++] = entry->d_type;
        memcpy(entries + size, entry->d_name, name + 1);
        size += name + 1;
        count++;
    }
    closedir(dir);
    respond(r->id, count, 0, entries, size);
    free(entries);
}

static void *serve(void *argument)
{
    struct request *r = argument;
    unsigned char *p = r->data;
    int64_t result = -1;
    int error = 0;
    char *path = NULL;
    switch (r->op) {
    case OP_OPEN:
        if (r->length >= 8 && (path = path_at(r, 8)) != NULL)
            result = open(path, (int)u32(p), (mode_t)u32(p + 4));
        break;
    case OP_CLOSE:
        if (r->length >= 4)
            result = close((int)u32(p));
        break;
    case OP_READ:
    case OP_PREAD:
        if (r->length >= (r->op == OP_READ ? 8u : 16u)) {
            uint32_t count = u32(p + (r->op == OP_READ ? 4 : 12));
            unsigned char *buffer = malloc(count > MAX_FRAME - 64 ? MAX_FRAME - 64 : count);
            if (count > MAX_FRAME - 64)
                count = MAX_FRAME - 64;
            ssize_t n = r->op == OP_READ ? read((int)u32(p), buffer, count) : pread((int)u32(p), buffer, count, (off_t)u64(p + 4));
            error = n < 0 ? errno : 0;
            respond(r->id, n, error, buffer, n > 0 ? (size_t)n : 0);
            free(buffer);
            goto done;
        }
        break;
    case OP_WRITE:
        if (r->length >= 4)
            result = write((int)u32(p), p + 4, r->length - 4);
        break;
    case OP_PWRITE:
        if (r->length >= 12)
            result = pwrite((int)u32(p), p + 12, r->length - 12, (off_t)u64(p + 4));
        break;
    case OP_IOCTL:
        if (r->length >= 12 && r->length - 12 >= u32(p + 8)) {
            uint32_t size = u32(p + 8);
            result = ioctl((int)u32(p), (unsigned long)u32(p + 4), size ? (void *)(p + 12) : NULL);
            error = result < 0 ? errno : 0;
            respond(r->id, result, error, p + 12, size);
            goto done;
        }
        break;
    case OP_LOCK:
        if (r->length >= 26) {
            struct flock lock = { .l_type = (short)(p[8] | p[9] << 8), .l_whence = SEEK_SET,
                                  .l_start = (off_t)u64(p + 10), .l_len = (off_t)u64(p + 18) };
            result = fcntl((int)u32(p), (int)u32(p + 4), &lock);
        }
        break;
    case OP_RTAS:
        if (r->length == RTAS_ARGS_SIZE) {
            result = syscall(__NR_rtas, p);
            error = result < 0 ? errno : 0;
            respond(r->id, result, error, p, RTAS_ARGS_SIZE);
            goto done;
        }
        break;
    case OP_STAT:
        if ((path = path_at(r, 0)) != NULL) {
            struct stat s;
            result = stat(path, &s);
            if (result == 0)
                result = S_ISREG(s.st_mode) ? 1 : S_ISDIR(s.st_mode) ? 2 : 3;
        }
        break;
    case OP_READLINK:
        if ((path = path_at(r, 0)) != NULL) {
            char target[4096];
            ssize_t n = readlink(path, target, sizeof target);
            error = n < 0 ? errno : 0;
            respond(r->id, n, error, target, n > 0 ? (size_t)n : 0);
            goto done;
        }
        break;
    case OP_LIST:
        if ((path = path_at(r, 0)) != NULL) {
            list(r, path);
            goto done;
        }
        break;
    case OP_READFILE:
        if ((path = path_at(r, 0)) != NULL) {
            read_whole(r, path);
            goto done;
        }
        break;
    case OP_MKDIR:
        if (r->length >= 4 && (path = path_at(r, 4)) != NULL)
            result = mkdir(path, (mode_t)u32(p));
        break;
    case OP_GETEUID:
        result = geteuid();
        break;
    case OP_RESET:
        result = reset();
        break;
    default:
        errno = ENOSYS;
        break;
    }
    if (result < 0 && error == 0)
        error = errno ? errno : EINVAL;
    respond(r->id, result, result < 0 ? error : 0, NULL, 0);
done:
    free(path);
    free(r->data);
    free(r);
    return NULL;
}

/* Reads until the magic word, skipping whatever a vanished client left half-sent. */
static int find_magic(void)
{
    static const unsigned char magic[4] = { 'D', 'L', 'P', 'R' };
    unsigned char window[4] = { 0 };
    for (;;) {
        unsigned char byte;
        if (read_within(channel, &byte, 1, -1) < 0)
            return -1;
        memmove(window, window + 1, 3);
        window[3] = byte;
        if (!memcmp(window, magic, 4))
            return 0;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    channel = open(argv[1], O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (channel < 0)
        return 1;
    struct termios raw;
    if (tcgetattr(channel, &raw) == 0) {
        cfmakeraw(&raw);
        tcsetattr(channel, TCSANOW, &raw);
    }
    tcflush(channel, TCIFLUSH);
    int ready = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (ready >= 0)
        close(ready);
    for (;;) {
        unsigned char header[12];
        if (find_magic() < 0)
            return 0;
        int got = read_within(channel, header, sizeof header, 3000);
        if (got == -1)
            return 0;
        uint32_t length = u32(header);
        if (got == -2 || length < 8 || length > MAX_FRAME)
            continue;
        struct request *r = malloc(sizeof *r);
        r->id = u32(header + 4);
        r->op = u32(header + 8);
        r->length = length - 8;
        r->data = malloc(r->length ? r->length : 1);
        got = r->length ? read_within(channel, r->data, r->length, 3000) : 0;
        if (got == -1)
            return 0;
        if (got == -2) {
            /* The client went away mid-frame: drop it and look for the next magic word. */
            free(r->data);
            free(r);
            continue;
        }
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attributes, serve, r) != 0)
            serve(r);
        pthread_attr_destroy(&attributes);
    }
}
