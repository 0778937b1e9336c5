/* strings_types.h - the opaque STRING_HANDLE type. */
#ifndef STRINGS_TYPES_H
#define STRINGS_TYPES_H

typedef struct STRING_TAG* STRING_HANDLE;

#endif /* STRINGS_TYPES_H */
