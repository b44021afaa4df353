// CPNG.h — the one door to libpng. The simplified API (png_image_*) reports errors through
// its `message` field and never longjmps into the caller, so Swift can call it directly.
#ifndef CPNG_H
#define CPNG_H
#include <png.h>

// PNG_IMAGE_SIZE and friends are function-like macros; Swift needs functions.
static inline png_alloc_size_t cpng_image_row_stride(const png_image *img) { return PNG_IMAGE_ROW_STRIDE(*img); }
static inline png_alloc_size_t cpng_image_buffer_size(const png_image *img) { return PNG_IMAGE_SIZE(*img); }
static inline int cpng_image_failed(const png_image *img) { return PNG_IMAGE_FAILED(*img); }
#endif
