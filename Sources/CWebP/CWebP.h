// CWebP.h — the one door to libwebp (decoding; generated images are often WebP).
#ifndef CWEBP_H
#define CWEBP_H
#include <webp/decode.h>
#include <webp/encode.h>

// WebPGetDecoderVersion is a plain function, but WebPInitDecoderConfig is a macro-wrapped
// inline that passes the ABI version; Swift needs it as a function.
static inline int cwebp_init_decoder_config(WebPDecoderConfig *config) { return WebPInitDecoderConfig(config); }
#endif
