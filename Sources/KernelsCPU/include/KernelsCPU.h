#ifndef KERNELS_CPU_H
#define KERNELS_CPU_H

/// The x86-64 microarchitecture level the running CPU and operating system
/// support, as defined by the x86-64 psABI: 1 (baseline, SSE2), 2, 3 (AVX2,
/// FMA, BMI1/2, F16C, LZCNT, MOVBE) or 4 (x86-64-v3 plus AVX-512 F, CD, BW,
/// DQ, VL). Levels 3 and 4 also require the OS to save the AVX (and
/// AVX-512) register state (XCR0). 0 on other architectures.
int kernels_x86_64_level(void);

#endif
