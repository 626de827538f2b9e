#include "ckernels.h"
#include "per_isa.h"

/* sqrtf may set errno, which stops vectorisation; clang's element-wise sqrt does not. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_sqrt)
#define SQRT(x) __builtin_elementwise_sqrt(x)
#endif
#endif
#ifndef SQRT
#define SQRT(x) __builtin_sqrtf(x)
#endif

#define ADAM_BODY                                                                          \
    for (long i = 0; i < n; i++) {                                                         \
        float gi = g[i];                                                                   \
        float mi = beta1 * m[i] + one_minus_beta1 * gi;                                    \
        float vi = beta2 * v[i] + one_minus_beta2 * gi * gi;                               \
        m[i] = mi;                                                                         \
        v[i] = vi;                                                                         \
        p[i] -= step_size * mi / (SQRT(vi) * inverse_correction2_sqrt + epsilon);            \
    }

#define ADAM_PARAMETERS                                                                    \
    long n, float *restrict p, const float *restrict g, float *restrict m, float *restrict v, \
    float beta1, float beta2, float one_minus_beta1, float one_minus_beta2,                 \
    float step_size, float inverse_correction2_sqrt, float epsilon

#define ADAM_ARGUMENTS n, p, g, m, v, beta1, beta2, one_minus_beta1, one_minus_beta2, step_size, inverse_correction2_sqrt, epsilon

STATNET_PER_ISA(adam, "avx2,fma", __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"),
                (ADAM_PARAMETERS), (ADAM_ARGUMENTS), ADAM_BODY)
