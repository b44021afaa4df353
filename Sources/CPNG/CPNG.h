// CPNG.h — the one door to libpng (and to the zlib it carries). Two APIs: the simplified one (png_image_*, used for encoding)
// reports errors through its `message` field and never longjmps into the caller; the classic
// row-by-row decoder below reports errors by longjmp, so every call that can fail goes through a
// wrapper here that owns the setjmp and returns 0 on success or -1 with the message kept.
#ifndef CPNG_H
#define CPNG_H
#include <png.h>
#include <zlib.h>
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
    // always 8-bit), and whether rows come in Adam7 passes.
    unsigned int width, height;
    int channels;
    int passes;
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
/// Every ancillary chunk but tRNS is skipped unread: libpng would otherwise allocate what a
/// text or ICC chunk's length field claims (its "chunk data is too large" check is only a
/// warning when reading) and inflate what it holds. The caller reads the metadata it needs
/// from the bytes itself, with its own bounds.
static inline int cpng_read_header(cpng_decoder *d) {
    if (setjmp(png_jmpbuf(d->png))) return -1;
    png_set_read_fn(d->png, d, cpng_read_fn);
    png_set_user_limits(d->png, 0x7fffffff, 0x7fffffff);
    png_set_chunk_malloc_max(d->png, 8 << 20);
    png_set_chunk_cache_max(d->png, 32);
    // A negative count with no list: every chunk libpng knows except IHDR, PLTE, tRNS, IDAT and
    // IEND, and all unknown ones, are skipped as they are read, without a buffer.
    png_set_keep_unknown_chunks(d->png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
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
    return 0;
}

/// Reads the next row (of the current pass, for interlaced files) into `row`.
static inline int cpng_read_row(cpng_decoder *d, unsigned char *row) {
    if (setjmp(png_jmpbuf(d->png))) return -1;
    png_read_row(d->png, row, NULL);
    return 0;
}

// ---- bounded inflate ----

/// Inflates the zlib stream at `source` into `target`, stopping when `capacity` bytes are out
/// (so a compression bomb costs at most `capacity`). Returns the bytes written, or -1 when the
/// stream is damaged before anything useful came out.
static inline long cpng_inflate_prefix(const unsigned char *source, size_t source_length,
                                       unsigned char *target, size_t capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK) return -1;
    stream.next_in = (unsigned char *)source;
    stream.avail_in = (uInt)(source_length > 0xFFFFFFFFu ? 0xFFFFFFFFu : source_length);
    stream.next_out = target;
    stream.avail_out = (uInt)(capacity > 0xFFFFFFFFu ? 0xFFFFFFFFu : capacity);
    int status = inflate(&stream, Z_FINISH);
    long written = (long)stream.total_out;
    inflateEnd(&stream);
    if (status == Z_STREAM_END || status == Z_BUF_ERROR || status == Z_OK) return written;
    return written > 0 ? written : -1;
}
#endif
