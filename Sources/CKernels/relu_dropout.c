#include "ckernels.h"
#include <stdint.h>
#include "per_isa.h"

/* ReLU then inverted dropout at p = 1/2: z[i] = (bit i of the words && z[i] > 0) ? z[i] * 2 : 0,
   bit i being bit (i % 64) of words[i / 64]. With AVX-512 sixteen elements take sixteen bits
   as a mask register. Bit for bit the same as the scalar loop. */

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
__attribute__((target("avx512f")))
static void relu_dropout_avx512(float *z, long n, const unsigned long long *words) {
    const __m512 zero = _mm512_setzero_ps(), two = _mm512_set1_ps(2.0f);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __mmask16 bits = (__mmask16)(words[i / 64] >> (i % 64));
        __m512 v = _mm512_loadu_ps(z + i);
        __mmask16 keep = bits & _mm512_cmp_ps_mask(v, zero, _CMP_GT_OQ);
        _mm512_storeu_ps(z + i, _mm512_maskz_mul_ps(keep, v, two));
    }
    for (; i < n; i++) z[i] = (((words[i / 64] >> (i % 64)) & 1) && z[i] > 0) ? z[i] * 2.0f : 0.0f;
}
#endif

void statnet_relu_dropout_half_f32(float *z, long n, const unsigned long long *words) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (__builtin_cpu_supports("avx512f")) { relu_dropout_avx512(z, n, words); return; }
#endif
    for (long i = 0; i < n; i++) z[i] = (((words[i / 64] >> (i % 64)) & 1) && z[i] > 0) ? z[i] * 2.0f : 0.0f;
}

/* Backward: g[i] = y[i] > 0 ? g[i] * scale : 0 (an output is non-zero exactly when its unit
   passed ReLU and dropout). Written so that the compiler vectorises it with a mask: the
   branch of the scalar version was mispredicted on about every other unit. */
#define RELU_DROPOUT_BACKWARD_BODY \
    for (long i = 0; i < n; i++) g[i] = y[i] > 0.0f ? g[i] * scale : 0.0f;

STATNET_PER_ISA(relu_dropout_backward, "avx2", __builtin_cpu_supports("avx2"),
                (float *restrict g, const float *restrict y, long n, float scale), (g, y, n, scale), RELU_DROPOUT_BACKWARD_BODY)
