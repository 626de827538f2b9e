#include "ckernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define FTZ_DAZ 0x8040u /* MXCSR bits 15 (flush to zero) and 6 (denormals are zero) */

void statnet_flush_denormals(void) { _mm_setcsr(_mm_getcsr() | FTZ_DAZ); }
int statnet_flushes_denormals(void) { return (_mm_getcsr() & FTZ_DAZ) == FTZ_DAZ; }
unsigned long statnet_fp_mode(void) { return _mm_getcsr(); }
void statnet_set_fp_mode(unsigned long mode) { _mm_setcsr((unsigned)mode); }

#elif defined(__aarch64__)
#include <stdint.h>
#define FPCR_FZ (1ull << 24)

void statnet_flush_denormals(void) {
    uint64_t fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr | FPCR_FZ));
}
int statnet_flushes_denormals(void) {
    uint64_t fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    return (fpcr & FPCR_FZ) != 0;
}
unsigned long statnet_fp_mode(void) {
    uint64_t fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    return (unsigned long)fpcr;
}
void statnet_set_fp_mode(unsigned long mode) {
    uint64_t fpcr = mode;
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
}

#else
void statnet_flush_denormals(void) {}
int statnet_flushes_denormals(void) { return 0; }
unsigned long statnet_fp_mode(void) { return 0; }
void statnet_set_fp_mode(unsigned long mode) { (void)mode; }
#endif
