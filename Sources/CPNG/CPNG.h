// CPNG.h — the one door to libpng. Two APIs: the simplified one (png_image_*, used for encoding)
// reports errors through its `message` field and never longjmps into the caller; the classic
// row-by-row decoder below reports errors by longjmp, so every call that can fail goes through a
// wrapper here that owns the setjmp and returns 0 on success or -1 with the message kept.
#ifndef CPNG_H
#define CPNG_H
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// PNG_IMAGE_SIZE and friends are function-like macros; Swift needs functions.
static inline png_alloc_size_t cpng_image_row_stride(const png_image *img) { return PNG_IMAGE_ROW_STRIDE(*img); }
static inline png_alloc_size_t cpng_image_buffer_size(const png_image *img) { return PNG_IMAGE_SIZE(*img); }
static inline int cpng_image_failed(const png_image *img) { return PNG_IMAGE_FAILED(*img); }

// ---- row-by-row decoding from memory ----

typedef struct {
    png_structp png;
    png_infop info;
    const unsigned char *data;
    size_t size;
    size_t offset;
    char message[200];
    // After cpng_read_header: the size, the channels of each output row (3 RGB or 4 RGBA,
    // always 8-bit), whether rows come in Adam7 passes, and the eXIf chunk if any.
    unsigned int width, height;
    int channels;
    int passes;
    const unsigned char *exif;
    unsigned int exif_length;
} cpng_decoder;

static void cpng_error_fn(png_structp png, png_const_charp text) {
    cpng_decoder *d = (cpng_decoder *)png_get_error_ptr(png);
    snprintf(d->message, sizeof d->message, "%s", text);
    png_longjmp(png, 1);
}

static void cpng_warning_fn(png_structp png, png_const_charp text) { (void)png; (void)text; }

static void cpng_read_fn(png_structp png, png_bytep out, size_t length) {
    cpng_decoder *d = (cpng_decoder *)png_get_io_ptr(png);
    if (length > d->size - d->offset) png_error(png, "PNG data ends early (truncated file)");
    memcpy(out, d->data + d->offset, length);
    d->offset += length;
}

/// A decoder over `size` bytes at `data` (which must outlive it); NULL when out of memory.
static inline cpng_decoder *cpng_decoder_create(const unsigned char *data, size_t size) {
    cpng_decoder *d = (cpng_decoder *)calloc(1, sizeof(cpng_decoder));
    if (!d) return NULL;
    d->data = data;
    d->size = size;
    d->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, d, cpng_error_fn, cpng_warning_fn);
    if (!d->png) { free(d); return NULL; }
    d->info = png_create_info_struct(d->png);
    if (!d->info) { png_destroy_read_struct(&d->png, NULL, NULL); free(d); return NULL; }
    return d;
}

static inline void cpng_decoder_destroy(cpng_decoder *d) {
    if (!d) return;
    png_destroy_read_struct(&d->png, &d->info, NULL);
    free(d);
}

/// Reads the header and sets the transforms to 8-bit RGB or RGBA: palette expanded, tRNS to
/// alpha, gray to RGB, 16-bit to its high byte (as Pillow reads it). No pixel is decoded, so
/// the caller can refuse a huge image first. The width and height limits are libpng's own.
static inline int cpng_read_header(cpng_decoder *d) {
    if (setjmp(png_jmpbuf(d->png))) return -1;
    png_set_read_fn(d->png, d, cpng_read_fn);
    png_set_user_limits(d->png, 0x7fffffff, 0x7fffffff);
    png_set_chunk_malloc_max(d->png, 16 << 20);
#ifdef PNG_IGNORE_ADLER32
    // Every IDAT chunk's CRC-32 is still checked, so zlib's second checksum over the same bytes
    // only costs time (12% of a 4K PNG's decode here).
    png_set_option(d->png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(d->png, d->info);
    d->width = png_get_image_width(d->png, d->info);
    d->height = png_get_image_height(d->png, d->info);
    int color = png_get_color_type(d->png, d->info);
    if (png_get_bit_depth(d->png, d->info) == 16) png_set_strip_16(d->png);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(d->png);
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) {
        png_set_expand_gray_1_2_4_to_8(d->png);
        png_set_gray_to_rgb(d->png);
    }
    if (png_get_valid(d->png, d->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(d->png);
    d->passes = png_set_interlace_handling(d->png);
    png_read_update_info(d->png, d->info);
    d->channels = png_get_channels(d->png, d->info);
#ifdef PNG_eXIf_SUPPORTED
    png_bytep exif = NULL;
    png_uint_32 exif_length = 0;
    if (png_get_eXIf_1(d->png, d->info, &exif_length, &exif) && exif) {
        d->exif = exif;
        d->exif_length = exif_length;
    }
#endif
    return 0;
}

/// Reads the next row (of the current pass, for interlaced files) into `row`.
static inline int cpng_read_row(cpng_decoder *d, unsigned char *row) {
    if (setjmp(png_jmpbuf(d->png))) return -1;
    png_read_row(d->png, row, NULL);
    return 0;
}
#endif
