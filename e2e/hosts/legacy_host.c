/* legacy_host - a host program written the way the SDK's hello_world sample main was:
 * Gateway_CreateFromJson, wait for a line on stdin, Gateway_Destroy. Linked only
 * against libgateway.so; proves legacy host programs run unchanged. */
#include <stdio.h>
#include "gateway.h"

int main(int argc, char** argv)
{
    GATEWAY_HANDLE gateway;
    if (argc != 2)
    {
        printf("usage: legacy_host <path to JSON config file>\n");
        return 1;
    }
    gateway = Gateway_CreateFromJson(argv[1]);
    if (gateway == NULL)
    {
        printf("failed to create the gateway from JSON\n");
        return 1;
    }
    printf("gateway successfully created from JSON\n");
    printf("gateway shall run until ENTER is pressed\n");
    fflush(stdout);
    (void)getchar();
    Gateway_Destroy(gateway);
    return 0;
}
