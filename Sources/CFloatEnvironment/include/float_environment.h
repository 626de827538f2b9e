#ifndef STATNET_FLOAT_ENVIRONMENT_H
#define STATNET_FLOAT_ENVIRONMENT_H

/// Sets the calling thread's floating-point unit to flush denormal results and inputs to zero.
/// Adam's first moment decays by 0.9 a step, so for weights whose input is rarely non-zero it
/// sinks into the denormal range within an epoch, where x86 arithmetic is up to 100x slower.
void statnet_flush_denormals(void);

/// Whether the calling thread flushes denormals (for tests).
int statnet_flushes_denormals(void);

#endif
