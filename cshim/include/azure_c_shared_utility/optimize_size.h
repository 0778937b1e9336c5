/* optimize_size.h - error-code helpers used by SDK-era module sources. */
#ifndef OPTIMIZE_SIZE_H
#define OPTIMIZE_SIZE_H

#ifndef __FAILURE__
#define __FAILURE__ __LINE__
#endif
#ifndef __SUCCESS__
#define __SUCCESS__ 0
#endif

#endif /* OPTIMIZE_SIZE_H */
