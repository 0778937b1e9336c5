/* no_getapi - a shared object that is not a module: it exports no
 * Module_GetApi. It does export a near miss, Module_GetAPI (wrong case), so a
 * loader that looks symbols up case-insensitively or by prefix is caught.
 * The gateway must fail to load it with an error that names the missing
 * symbol.
 *
 * Args: ignored.
 * Library: libno_getapi.so.
 */
#include "module.h"

MODULE_EXPORT const MODULE_API* Module_GetAPI(MODULE_API_VERSION gateway_api_version);

MODULE_EXPORT const MODULE_API* Module_GetAPI(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return NULL;
}
