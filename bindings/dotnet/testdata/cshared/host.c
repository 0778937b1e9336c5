/* host.c - a C program that loads the c-shared stress library (TestCSharedStress). */
#include <stdio.h>
#include <stdlib.h>

extern int stress_run(const char* dir, long per_source, long timer_count, long thread_count);

int main(int argc, char** argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s <assembly dir> <per source> <timer count> <thread count>\n", argv[0]);
        return 2;
    }
    return stress_run(argv[1], atol(argv[2]), atol(argv[3]), atol(argv[4]));
}
