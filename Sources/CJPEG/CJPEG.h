// CJPEG.h — the one door to libjpeg(-turbo)'s classic API. libjpeg reports fatal errors by
// longjmp, which must never cross a Swift frame: every call that can fail goes through a
// wrapper here that owns the setjmp, and returns 0 on success or -1 with the message kept
// in the handle. Warnings (corrupt but decodable data) are counted, not fatal.
#ifndef CJPEG_H
#define CJPEG_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    int warnings;
    int hit_end_of_data;  // the data ended before the image did (a truncated file)
} cjpeg_error_mgr;

static void cjpeg_error_exit(j_common_ptr cinfo) {
    cjpeg_error_mgr *err = (cjpeg_error_mgr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

static void cjpeg_emit_message(j_common_ptr cinfo, int level) {
    cjpeg_error_mgr *err = (cjpeg_error_mgr *)cinfo->err;
    if (level < 0) {
        if (err->warnings == 0) (*cinfo->err->format_message)(cinfo, err->message);
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) err->hit_end_of_data = 1;
        err->warnings++;
    }
}

// ---- decoding ----

typedef struct {
    struct jpeg_decompress_struct cinfo;
    cjpeg_error_mgr err;
} cjpeg_decoder;

static inline cjpeg_decoder *cjpeg_decoder_create(void) {
    cjpeg_decoder *d = (cjpeg_decoder *)calloc(1, sizeof(cjpeg_decoder));
    if (!d) return NULL;
    d->cinfo.err = jpeg_std_error(&d->err.pub);
    d->err.pub.error_exit = cjpeg_error_exit;
    d->err.pub.emit_message = cjpeg_emit_message;
    if (setjmp(d->err.jump)) { free(d); return NULL; }
    jpeg_create_decompress(&d->cinfo);
    return d;
}

static inline void cjpeg_decoder_destroy(cjpeg_decoder *d) {
    if (!d) return;
    jpeg_destroy_decompress(&d->cinfo);
    free(d);
}

/// Reads the header from memory (the buffer must outlive the decoder), keeping APP1 (EXIF)
/// and APP14 (Adobe) markers. Caps libjpeg's working memory at max_memory bytes.
static inline int cjpeg_read_header(cjpeg_decoder *d, const unsigned char *data, unsigned long size, long max_memory) {
    if (setjmp(d->err.jump)) return -1;
    if (max_memory > 0) d->cinfo.mem->max_memory_to_use = max_memory;
    jpeg_mem_src(&d->cinfo, data, size);
    jpeg_save_markers(&d->cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(&d->cinfo, JPEG_APP0 + 14, 0xFFFF);
    jpeg_read_header(&d->cinfo, TRUE);
    return 0;
}

/// The bytes libjpeg will hold for the whole image's DCT coefficients: a progressive or
/// multi-scan file keeps every block of every component until the last scan (the scale of the
/// output does not shrink it); 0 for a single-scan file, decoded one block row at a time.
/// Valid after cjpeg_read_header.
static inline unsigned long long cjpeg_coefficient_bytes(const cjpeg_decoder *d) {
    const struct jpeg_decompress_struct *c = &d->cinfo;
    if (!c->progressive_mode && c->comps_in_scan >= c->num_components) return 0;
    unsigned long long total = 0;
    for (int i = 0; i < c->num_components; i++) {
        const jpeg_component_info *comp = &c->comp_info[i];
        unsigned long long h = (unsigned long long)comp->h_samp_factor, v = (unsigned long long)comp->v_samp_factor;
        unsigned long long wide = ((unsigned long long)comp->width_in_blocks + h - 1) / h * h;
        unsigned long long high = ((unsigned long long)comp->height_in_blocks + v - 1) / v * v;
        total += wide * high * DCTSIZE2 * sizeof(JCOEF);
    }
    return total;
}

/// Sets the DCT-domain scale (num/8) and output colour space, then starts decompression.
static inline int cjpeg_start(cjpeg_decoder *d, unsigned int scale_num, J_COLOR_SPACE out_space, int fast) {
    if (setjmp(d->err.jump)) return -1;
    d->cinfo.scale_num = scale_num;
    d->cinfo.scale_denom = 8;
    d->cinfo.out_color_space = out_space;
    if (fast) { d->cinfo.dct_method = JDCT_IFAST; d->cinfo.do_fancy_upsampling = FALSE; }
    jpeg_start_decompress(&d->cinfo);
    return 0;
}

/// Reads up to max_lines scanlines into rows; returns the number read or -1.
static inline int cjpeg_read_scanlines(cjpeg_decoder *d, unsigned char **rows, unsigned int max_lines) {
    if (setjmp(d->err.jump)) return -1;
    return (int)jpeg_read_scanlines(&d->cinfo, rows, max_lines);
}

/// The first saved marker of type `marker` (JPEG_APP0 + n) whose data starts with `prefix`.
static inline const jpeg_saved_marker_ptr cjpeg_find_marker(cjpeg_decoder *d, int marker, const char *prefix, unsigned int prefix_length) {
    for (jpeg_saved_marker_ptr m = d->cinfo.marker_list; m; m = m->next) {
        if (m->marker == marker && m->data_length >= prefix_length && memcmp(m->data, prefix, prefix_length) == 0) return m;
    }
    return NULL;
}

static inline int cjpeg_finish(cjpeg_decoder *d) {
    if (setjmp(d->err.jump)) return -1;
    jpeg_finish_decompress(&d->cinfo);
    return 0;
}

// ---- encoding ----

typedef struct {
    struct jpeg_compress_struct cinfo;
    cjpeg_error_mgr err;
    unsigned char *buffer;
    unsigned long size;
} cjpeg_encoder;

static inline cjpeg_encoder *cjpeg_encoder_create(void) {
    cjpeg_encoder *e = (cjpeg_encoder *)calloc(1, sizeof(cjpeg_encoder));
    if (!e) return NULL;
    e->cinfo.err = jpeg_std_error(&e->err.pub);
    e->err.pub.error_exit = cjpeg_error_exit;
    e->err.pub.emit_message = cjpeg_emit_message;
    if (setjmp(e->err.jump)) { free(e); return NULL; }
    jpeg_create_compress(&e->cinfo);
    return e;
}

static inline void cjpeg_encoder_destroy(cjpeg_encoder *e) {
    if (!e) return;
    jpeg_destroy_compress(&e->cinfo);
    free(e->buffer);
    free(e);
}

/// Starts a baseline (or progressive) encode to memory; components is 1 (gray) or 3 (RGB).
/// full_chroma keeps colour at full resolution (4:4:4) instead of libjpeg's default 4:2:0.
static inline int cjpeg_encode_start_sampled(cjpeg_encoder *e, unsigned int width, unsigned int height,
                                             int components, int quality, int progressive, int full_chroma) {
    if (setjmp(e->err.jump)) return -1;
    free(e->buffer); e->buffer = NULL; e->size = 0;
    jpeg_mem_dest(&e->cinfo, &e->buffer, &e->size);
    e->cinfo.image_width = width;
    e->cinfo.image_height = height;
    e->cinfo.input_components = components;
    e->cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&e->cinfo);
    jpeg_set_quality(&e->cinfo, quality, TRUE);
    e->cinfo.optimize_coding = TRUE;
    if (full_chroma && components == 3) {
        e->cinfo.comp_info[0].h_samp_factor = 1;
        e->cinfo.comp_info[0].v_samp_factor = 1;
    }
    if (progressive) jpeg_simple_progression(&e->cinfo);
    jpeg_start_compress(&e->cinfo, TRUE);
    return 0;
}

/// Starts a 4-component encode: the samples are written as given (Adobe's convention: inverted
/// inks), stored as CMYK or, with ycck, as YCCK; libjpeg adds the Adobe marker either way.
static inline int cjpeg_encode_start_cmyk(cjpeg_encoder *e, unsigned int width, unsigned int height,
                                          int quality, int ycck) {
    if (setjmp(e->err.jump)) return -1;
    free(e->buffer); e->buffer = NULL; e->size = 0;
    jpeg_mem_dest(&e->cinfo, &e->buffer, &e->size);
    e->cinfo.image_width = width;
    e->cinfo.image_height = height;
    e->cinfo.input_components = 4;
    e->cinfo.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&e->cinfo);
    jpeg_set_colorspace(&e->cinfo, ycck ? JCS_YCCK : JCS_CMYK);
    jpeg_set_quality(&e->cinfo, quality, TRUE);
    jpeg_start_compress(&e->cinfo, TRUE);
    return 0;
}

static inline int cjpeg_encode_start(cjpeg_encoder *e, unsigned int width, unsigned int height,
                                     int components, int quality, int progressive) {
    return cjpeg_encode_start_sampled(e, width, height, components, quality, progressive, 0);
}

static inline int cjpeg_write_scanlines(cjpeg_encoder *e, unsigned char **rows, unsigned int count) {
    if (setjmp(e->err.jump)) return -1;
    return (int)jpeg_write_scanlines(&e->cinfo, rows, count);
}

static inline int cjpeg_write_marker(cjpeg_encoder *e, int marker, const unsigned char *data, unsigned int length) {
    if (setjmp(e->err.jump)) return -1;
    jpeg_write_marker(&e->cinfo, marker, data, length);
    return 0;
}

static inline int cjpeg_encode_finish(cjpeg_encoder *e) {
    if (setjmp(e->err.jump)) return -1;
    jpeg_finish_compress(&e->cinfo);
    return 0;
}
#endif
