/* CCRCFold: the carry-less multiplication step of S3's CRCs (SlicingCRC.swift), in C because
   Swift cannot reach the PCLMULQDQ intrinsic (a macro). Header only; the one function is
   compiled for pclmul whatever the build's target, so callers check the CPU first. */
#include <stdint.h>
#include <stddef.h>
#if defined(__x86_64__)
#include <immintrin.h>

/* Folds `blocks` (>= 1) 16-byte blocks at p into one 16-byte block with the same CRC remainder
   (the reflected CRC state XORed into the first bytes), 16 bytes a step: x.lo * k_lo + x.hi * k_hi
   + next block, where k_lo and k_hi are x^(128+W-1) and x^(64+W-1) mod P bit-reflected. */
__attribute__((target("pclmul,sse2")))
static inline void ccrc_fold16(uint64_t state, const void *p, size_t blocks, uint64_t k_lo, uint64_t k_hi, uint64_t out[2]) {
    const __m128i *q = (const __m128i *)p;
    __m128i x = _mm_xor_si128(_mm_loadu_si128(q), _mm_set_epi64x(0, (long long)state));
    const __m128i k = _mm_set_epi64x((long long)k_hi, (long long)k_lo);
    for (size_t i = 1; i < blocks; i++) {
        __m128i a = _mm_clmulepi64_si128(x, k, 0x00);
        __m128i b = _mm_clmulepi64_si128(x, k, 0x11);
        x = _mm_xor_si128(_mm_xor_si128(a, b), _mm_loadu_si128(q + i));
    }
    _mm_storeu_si128((__m128i *)out, x);
}
#endif /* __x86_64__ */
