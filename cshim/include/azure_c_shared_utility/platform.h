/* platform.h - platform initialisation hooks. Nothing to do on Linux: both are inline
 * no-ops kept for modules that call them. */
#ifndef PLATFORM_H
#define PLATFORM_H

#ifdef __cplusplus
extern "C" {
#endif

static inline int platform_init(void)
{
    return 0;
}

static inline void platform_deinit(void)
{
}

#ifdef __cplusplus
}
#endif

#endif /* PLATFORM_H */
