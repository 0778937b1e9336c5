/* singlylinkedlist.h - SINGLYLINKEDLIST_HANDLE: a list of untyped item pointers.
 *
 * Memory: singlylinkedlist_create returns a list owned by the caller, released with
 * singlylinkedlist_destroy, which frees the list nodes but never the items (the caller owns
 * what it adds). A LIST_ITEM_HANDLE is valid until its item is removed or the list is
 * destroyed. Not thread safe. */
#ifndef SINGLYLINKEDLIST_H
#define SINGLYLINKEDLIST_H

#include <stdbool.h>
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct SINGLYLINKEDLIST_INSTANCE_TAG* SINGLYLINKEDLIST_HANDLE;
typedef struct LIST_ITEM_INSTANCE_TAG* LIST_ITEM_HANDLE;

/* For singlylinkedlist_find: true when list_item matches. */
typedef bool (*LIST_MATCH_FUNCTION)(LIST_ITEM_HANDLE list_item, const void* match_context);
/* For singlylinkedlist_remove_if: true removes the item; set *continue_processing = false
 * to stop after this item (it starts as true). */
typedef bool (*LIST_CONDITION_FUNCTION)(const void* item, const void* match_context, bool* continue_processing);
/* For singlylinkedlist_foreach: set *continue_processing = false to stop (it starts as true). */
typedef void (*LIST_ACTION_FUNCTION)(const void* item, const void* action_context, bool* continue_processing);
typedef LIST_ACTION_FUNCTION LIST_ACTION_ACTION; /* name used by one SDK header version */

extern GATEWAY_EXPORT SINGLYLINKEDLIST_HANDLE singlylinkedlist_create(void);
extern GATEWAY_EXPORT void singlylinkedlist_destroy(SINGLYLINKEDLIST_HANDLE list);
/* Appends item at the tail. NULL if list or item is NULL or out of memory. */
extern GATEWAY_EXPORT LIST_ITEM_HANDLE singlylinkedlist_add(SINGLYLINKEDLIST_HANDLE list, const void* item);
/* Removes the node (not the item). Non-zero if an argument is NULL or the node is not in list. */
extern GATEWAY_EXPORT int singlylinkedlist_remove(SINGLYLINKEDLIST_HANDLE list, LIST_ITEM_HANDLE item_handle);
/* NULL if list is NULL or empty. */
extern GATEWAY_EXPORT LIST_ITEM_HANDLE singlylinkedlist_get_head_item(SINGLYLINKEDLIST_HANDLE list);
/* NULL if item_handle is NULL or the last one. */
extern GATEWAY_EXPORT LIST_ITEM_HANDLE singlylinkedlist_get_next_item(LIST_ITEM_HANDLE item_handle);
/* The first node for which match_function is true; NULL if none or an argument is NULL. */
extern GATEWAY_EXPORT LIST_ITEM_HANDLE singlylinkedlist_find(SINGLYLINKEDLIST_HANDLE list, LIST_MATCH_FUNCTION match_function,
                                                             const void* match_context);
/* The item stored in the node; NULL if item_handle is NULL. */
extern GATEWAY_EXPORT const void* singlylinkedlist_item_get_value(LIST_ITEM_HANDLE item_handle);
/* Removes every node whose item satisfies condition_function. Non-zero if list or
 * condition_function is NULL. */
extern GATEWAY_EXPORT int singlylinkedlist_remove_if(SINGLYLINKEDLIST_HANDLE list, LIST_CONDITION_FUNCTION condition_function,
                                                     const void* match_context);
/* Calls action_function for each item in order. Non-zero if list or action_function is NULL. */
extern GATEWAY_EXPORT int singlylinkedlist_foreach(SINGLYLINKEDLIST_HANDLE list, LIST_ACTION_FUNCTION action_function,
                                                   const void* action_context);

#ifdef __cplusplus
}
#endif

#endif /* SINGLYLINKEDLIST_H */
