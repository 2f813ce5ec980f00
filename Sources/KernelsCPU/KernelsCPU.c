// What the running x86-64 CPU can execute, read with CPUID and XGETBV: the
// one question the kernels' run-time dispatch asks (Docs/Building.md).
// Written in C because Swift has no access to either instruction.
#include "KernelsCPU.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    // XGETBV with ECX = 0, spelled as bytes so that no -mxsave flag is needed.
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static int has_all(unsigned int reg, unsigned int mask) { return (reg & mask) == mask; }

int kernels_x86_64_level(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 1;
    // Level 2: CMPXCHG16B (ecx 13), POPCNT (23), SSE3 (0), SSSE3 (9), SSE4.1 (19), SSE4.2 (20); LAHF (checked below).
    const unsigned int level2 = (1u << 0) | (1u << 9) | (1u << 13) | (1u << 19) | (1u << 20) | (1u << 23);
    // Level 3 in leaf 1: FMA (12), MOVBE (22), OSXSAVE (27), AVX (28), F16C (29).
    const unsigned int level3 = (1u << 12) | (1u << 22) | (1u << 27) | (1u << 28) | (1u << 29);
    unsigned int e81 = 0, b81, c81 = 0, d81;
    __get_cpuid(0x80000001, &e81, &b81, &c81, &d81);
    if (!has_all(ecx, level2) || !(c81 & 1u)) return 1;
    // LZCNT/ABM: extended leaf ecx bit 5.
    if (!has_all(ecx, level3) || !(c81 & (1u << 5))) return 2;
    // The OS must save SSE and AVX state (XCR0 bits 1, 2).
    unsigned long long xcr0 = read_xcr0();
    if ((xcr0 & 0x6) != 0x6) return 2;
    unsigned int b7 = 0, c7, d7, a7;
    if (!__get_cpuid_count(7, 0, &a7, &b7, &c7, &d7)) return 2;
    // Leaf 7 ebx: BMI1 (3), AVX2 (5), BMI2 (8).
    if (!has_all(b7, (1u << 3) | (1u << 5) | (1u << 8))) return 2;
    // Level 4: AVX512F (16), DQ (17), CD (28), BW (30), VL (31), and the OS
    // saving opmask and ZMM state (XCR0 bits 5, 6, 7).
    const unsigned int level4 = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);
    if (!has_all(b7, level4) || (xcr0 & 0xE0) != 0xE0) return 3;
    return 4;
}

#else

int kernels_x86_64_level(void) { return 0; }

#endif
