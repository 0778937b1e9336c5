/* dynamic_library.h - thin portable wrapper over dlopen/dlsym/dlclose. */
#ifndef DYNAMIC_LIBRARY_H
#define DYNAMIC_LIBRARY_H

#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void* DYNAMIC_LIBRARY_HANDLE;

/* Opens the library with RTLD_LAZY (local). NULL on failure (the dlerror text is logged). */
extern GATEWAY_EXPORT DYNAMIC_LIBRARY_HANDLE DynamicLibrary_LoadLibrary(const char* dynamicLibraryFileName);
extern GATEWAY_EXPORT void DynamicLibrary_UnloadLibrary(DYNAMIC_LIBRARY_HANDLE libraryHandle);
extern GATEWAY_EXPORT void* DynamicLibrary_FindSymbol(DYNAMIC_LIBRARY_HANDLE libraryHandle, const char* symbolName);

#ifdef __cplusplus
}
#endif

#endif /* DYNAMIC_LIBRARY_H */
