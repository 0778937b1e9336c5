/* test_support_gateway.c - stand-ins for the gw_go_* functions that the Go runtime
 * provides inside libgateway.so, so the gateway C sources link into standalone C
 * tests. Broker_Publish lands in test_last_publish_* for inspection. */
#include <stdint.h>
#include <stdio.h>
#include "gw_internal.h"

uintptr_t test_last_publish_broker, test_last_publish_source, test_last_publish_msg;
int test_last_publish_flags;

int gw_go_publish(uintptr_t broker, uintptr_t source, uintptr_t msg, int flags)
{
    test_last_publish_broker = broker;
    test_last_publish_source = source;
    test_last_publish_msg = msg;
    test_last_publish_flags = flags;
    return BROKER_OK;
}

void gw_go_log(int category, char* module, char* file, char* func, int line, char* text)
{
    (void)category; (void)module; (void)file; (void)func; (void)line; (void)text;
}

uintptr_t gw_go_broker_create(void) { return 0; }
void gw_go_broker_incref(uintptr_t broker) { (void)broker; }
void gw_go_broker_decref(uintptr_t broker) { (void)broker; }
int gw_go_broker_add_module(uintptr_t broker, uintptr_t api, uintptr_t module) { (void)broker; (void)api; (void)module; return BROKER_ERROR; }
int gw_go_broker_remove_module(uintptr_t broker, uintptr_t module) { (void)broker; (void)module; return BROKER_ERROR; }
int gw_go_broker_add_link(uintptr_t broker, uintptr_t source, uintptr_t sink) { (void)broker; (void)source; (void)sink; return BROKER_ERROR; }
int gw_go_broker_remove_link(uintptr_t broker, uintptr_t source, uintptr_t sink) { (void)broker; (void)source; (void)sink; return BROKER_ERROR; }
