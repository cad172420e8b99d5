/* The floor for a rescan on this machine: list a tree and stat every file, in C, one thread.
 *
 * A rescan must learn each file's size, mtime and inode (the rule for "unchanged"), so no
 * implementation can be faster than listing the folders and calling stat once per file.
 * bench/scan.py compiles this when a C compiler is present and prints its time beside
 * khaudit's rescan. Usage: statfloor ROOT  -> prints "<files> <seconds>".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long files = 0;
static long long checksum = 0; /* uses the results so the compiler keeps every call */

static void walk(int dir_fd) {
    DIR *dir = fdopendir(dir_fd);
    if (!dir) return;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        const char *name = entry->d_name;
        if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) continue;
        struct stat st;
        if (entry->d_type == DT_DIR) {
            int child = openat(dirfd(dir), name, O_RDONLY | O_DIRECTORY);
            if (child >= 0) walk(child);
            continue;
        }
        if (fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISDIR(st.st_mode)) { /* file systems that do not fill d_type */
                int child = openat(dirfd(dir), name, O_RDONLY | O_DIRECTORY);
                if (child >= 0) walk(child);
                continue;
            }
            files++;
            checksum += st.st_size + st.st_mtim.tv_nsec + (long long)st.st_ino;
        }
    }
    closedir(dir);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: statfloor ROOT\n"); return 2; }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int root = open(argv[1], O_RDONLY | O_DIRECTORY);
    if (root < 0) { perror(argv[1]); return 1; }
    walk(root);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%ld %.6f %lld\n", files, seconds, checksum & 1);
    return 0;
}
