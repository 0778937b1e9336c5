/* loader_dynamic_library.c - dynamic_library.h over dlopen / dlsym / dlclose.
 *
 * Memory: DynamicLibrary_LoadLibrary returns the dl handle itself (owned by the caller,
 * released with DynamicLibrary_UnloadLibrary, which drops one dlopen reference).
 * DynamicLibrary_FindSymbol returns an address inside the library, valid while the
 * library stays loaded. Nothing here allocates.
 * Thread safety: all three may be called from any thread (dlopen/dlsym/dlclose are thread
 * safe in glibc and dlerror's text is per thread). */
#include <dlfcn.h>
#include <stddef.h>

#include "azure_c_shared_utility/xlogging.h"
#include "dynamic_library.h"

DYNAMIC_LIBRARY_HANDLE DynamicLibrary_LoadLibrary(const char* dynamicLibraryFileName)
{
    void* handle;
    const char* why;

    if (dynamicLibraryFileName == NULL)
    {
        LogError("DynamicLibrary_LoadLibrary: the library file name is NULL");
        return NULL;
    }
    /* Local binding, as the original: a module's symbols never satisfy another module's. */
    handle = dlopen(dynamicLibraryFileName, RTLD_LAZY | RTLD_LOCAL);
    if (handle == NULL)
    {
        why = dlerror();
        LogError("DynamicLibrary_LoadLibrary: cannot load \"%s\": %s", dynamicLibraryFileName,
                 (why != NULL) ? why : "unknown dlopen error");
    }
    return handle;
}

void DynamicLibrary_UnloadLibrary(DYNAMIC_LIBRARY_HANDLE libraryHandle)
{
    const char* why;

    if (libraryHandle == NULL)
    {
        LogError("DynamicLibrary_UnloadLibrary: the library handle is NULL");
        return;
    }
    if (dlclose(libraryHandle) != 0)
    {
        why = dlerror();
        LogError("DynamicLibrary_UnloadLibrary: dlclose failed: %s", (why != NULL) ? why : "unknown dlclose error");
    }
}

void* DynamicLibrary_FindSymbol(DYNAMIC_LIBRARY_HANDLE libraryHandle, const char* symbolName)
{
    if (libraryHandle == NULL || symbolName == NULL)
    {
        LogError("DynamicLibrary_FindSymbol: invalid argument (libraryHandle=%p, symbolName=%s)", libraryHandle,
                 (symbolName != NULL) ? symbolName : "NULL");
        return NULL;
    }
    /* A missing symbol is not logged here: callers may probe for optional symbols and
     * report the miss in their own terms (the native loader does). */
    return dlsym(libraryHandle, symbolName);
}
