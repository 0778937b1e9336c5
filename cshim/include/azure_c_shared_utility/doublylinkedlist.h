/* doublylinkedlist.h - intrusive circular doubly linked lists (Windows LIST_ENTRY style).
 *
 * A list is a DLIST_ENTRY head whose Flink/Blink point to itself when empty. Entries are
 * embedded in the caller's structures (use containingRecord to get back to them); nothing
 * is allocated or freed here. Not thread safe. NULL arguments are ignored. */
#ifndef DOUBLYLINKEDLIST_H
#define DOUBLYLINKEDLIST_H

#include <stddef.h>
#include <stdint.h>
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct DLIST_ENTRY_TAG
{
    struct DLIST_ENTRY_TAG* Flink;
    struct DLIST_ENTRY_TAG* Blink;
} DLIST_ENTRY, *PDLIST_ENTRY;

/* Makes listHead an empty list. */
extern GATEWAY_EXPORT void DList_InitializeListHead(PDLIST_ENTRY listHead);
/* Non-zero when the list is empty (also for NULL). */
extern GATEWAY_EXPORT int DList_IsListEmpty(const PDLIST_ENTRY listHead);
extern GATEWAY_EXPORT void DList_InsertTailList(PDLIST_ENTRY listHead, PDLIST_ENTRY listEntry);
extern GATEWAY_EXPORT void DList_InsertHeadList(PDLIST_ENTRY listHead, PDLIST_ENTRY listEntry);
/* Splices the whole ring that listToAppend belongs to onto the tail of listHead:
 * listToAppend first, then the entries that follow it in its ring. listToAppend itself
 * becomes an element (as in the original). To move the entries of another headed list
 * instead: first = otherHead->Flink; DList_RemoveEntryList(otherHead);
 * DList_AppendTailList(listHead, first); DList_InitializeListHead(otherHead). */
extern GATEWAY_EXPORT void DList_AppendTailList(PDLIST_ENTRY listHead, PDLIST_ENTRY listToAppend);
/* Unlinks listEntry. Returns non-zero when the list it was in is now empty. */
extern GATEWAY_EXPORT int DList_RemoveEntryList(PDLIST_ENTRY listEntry);
/* Unlinks and returns the first entry; returns listHead itself when the list is empty. */
extern GATEWAY_EXPORT PDLIST_ENTRY DList_RemoveHeadList(PDLIST_ENTRY listHead);

/* The address of the structure of type `type` whose member `field` is at `address`. */
#define containingRecord(address, type, field) ((type*)((uintptr_t)(address) - offsetof(type, field)))

#ifdef __cplusplus
}
#endif

#endif /* DOUBLYLINKEDLIST_H */
