/* Thin C host for the c-shared probe: calls ProbeRun and returns from main, so exit()
 * runs atexit handlers (the bridge's Node shutdown) and libnode's destructors. */
#include <stdio.h>

extern int ProbeRun(char *dir);

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: host <testdata dir>\n");
        return 2;
    }
    int rc = ProbeRun(argv[1]);
    printf("host: returning %d from main\n", rc);
    fflush(stdout);
    return rc;
}
