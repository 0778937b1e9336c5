/* gateway_export.h - symbol visibility for the public gateway API. */
#ifndef GATEWAY_EXPORT_H
#define GATEWAY_EXPORT_H

#if defined(__GNUC__)
#define GATEWAY_EXPORT __attribute__((visibility("default")))
#else
#define GATEWAY_EXPORT
#endif

#endif /* GATEWAY_EXPORT_H */
