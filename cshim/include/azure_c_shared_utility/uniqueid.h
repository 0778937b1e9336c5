/* uniqueid.h - random (version 4) UUID text. */
#ifndef UNIQUEID_H
#define UNIQUEID_H

#include <stddef.h>
#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UNIQUEID_RESULT_VALUES \
    UNIQUEID_OK, \
    UNIQUEID_INVALID_ARG, \
    UNIQUEID_ERROR

DEFINE_ENUM(UNIQUEID_RESULT, UNIQUEID_RESULT_VALUES)

/* Writes a lowercase UUID v4 ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", 36 characters and a
 * NUL) into uid. UNIQUEID_INVALID_ARG if uid is NULL or bufferSize < 37; UNIQUEID_ERROR if
 * the system random source fails. */
extern GATEWAY_EXPORT UNIQUEID_RESULT UniqueId_Generate(char* uid, size_t bufferSize);

#ifdef __cplusplus
}
#endif

#endif /* UNIQUEID_H */
