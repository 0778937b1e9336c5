/* destroy_loop_host - creates and destroys a gateway N times in one process while a
 * publisher floods it, the way the SDK's Gateway_Destroy deadlocked (1 run in 16).
 *
 *   destroy_loop_host <config.json> <sink report path> <runs>
 *
 * Each run: Gateway_CreateFromJson, wait until the sink's report shows messages
 * flowing (polls the file the sink rewrites every few ms; gives up after 10 s),
 * Gateway_Destroy. Prints one line per run with VmRSS, the thread count and the bytes
 * in use on the C heap (mallinfo2: exact, unlike RSS, which moves in steps with the
 * Go heap and malloc's arenas), so the caller can check that repeated cycles do not
 * leak; exits non-zero on any failure. */
#define _POSIX_C_SOURCE 200809L
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gateway.h"

static long status_field(const char* name)
{
    char line[256];
    long value = -1;
    size_t n = strlen(name);
    FILE* f = fopen("/proc/self/status", "r");
    if (f == NULL)
    {
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL)
    {
        if (strncmp(line, name, n) == 0 && line[n] == ':')
        {
            value = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

/* The sink's report holds "received": N; returns N, or -1 when there is none yet. */
static long sink_received(const char* path)
{
    char buf[4096];
    size_t got;
    const char* p;
    FILE* f = fopen(path, "r");
    if (f == NULL)
    {
        return -1;
    }
    got = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[got] = '\0';
    p = strstr(buf, "\"received\":");
    return p == NULL ? -1 : strtol(p + strlen("\"received\":"), NULL, 10);
}

int main(int argc, char** argv)
{
    int runs, i;
    if (argc != 4 || (runs = atoi(argv[3])) <= 0)
    {
        fprintf(stderr, "usage: destroy_loop_host <config.json> <sink report> <runs>\n");
        return 2;
    }
    for (i = 1; i <= runs; i++)
    {
        struct timespec nap = {0, 1000000};
        GATEWAY_HANDLE gw;
        int waited;
        (void)unlink(argv[2]);
        gw = Gateway_CreateFromJson(argv[1]);
        if (gw == NULL)
        {
            fprintf(stderr, "run %d: Gateway_CreateFromJson failed\n", i);
            return 1;
        }
        for (waited = 0; sink_received(argv[2]) <= 0; waited++)
        {
            if (waited == 10000)
            {
                fprintf(stderr, "run %d: no message reached the sink in 10 s\n", i);
                return 1;
            }
            nanosleep(&nap, NULL);
        }
        Gateway_Destroy(gw);
        printf("run %d rss_kb %ld threads %ld c_heap_kb %zu\n", i, status_field("VmRSS"), status_field("Threads"),
            mallinfo2().uordblks / 1024);
        fflush(stdout);
    }
    return 0;
}
