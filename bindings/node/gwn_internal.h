/* State shared by gwn_bridge.c and gwn_addon.c (not part of the bridge's API). */
#ifndef GWN_INTERNAL_H
#define GWN_INTERNAL_H

#include <pthread.h>

#include "gwn.h"
#include "gwn_napi.h"

/* N-API functions resolved from libnode (valid once gwn_load succeeded). */
extern gwn_napi_table gwn_napi;

/* Guards gwn_tsfn and gwn_state. */
extern pthread_mutex_t gwn_mu;
/* The threadsafe function into bootstrap.js's dispatch (set by the addon's init). */
extern napi_threadsafe_function gwn_tsfn;
/* 0: no threadsafe function yet; 1: accepting posts; 2: closed for good. */
extern int gwn_state;

/* Registration function of the linked binding (gwn_addon.c). */
napi_value gwn_addon_init(napi_env env, napi_value exports);

#endif
