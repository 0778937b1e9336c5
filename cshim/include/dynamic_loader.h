/* dynamic_loader.h - the native ("native") module loader. */
#ifndef DYNAMIC_LOADER_H
#define DYNAMIC_LOADER_H

#include "azure_c_shared_utility/strings.h"
#include "module_loader.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Entry point of a native module: the path of its shared object. */
typedef struct DYNAMIC_LOADER_ENTRYPOINT_TAG
{
    STRING_HANDLE moduleLibraryFileName;
} DYNAMIC_LOADER_ENTRYPOINT;

/* Returns the process-wide native loader (never freed). */
extern GATEWAY_EXPORT const MODULE_LOADER* DynamicLoader_Get(void);

#ifdef __cplusplus
}
#endif

#endif /* DYNAMIC_LOADER_H */
