#include <vips/vips.h>

// libvips takes its optional arguments as NULL-terminated varargs, which Swift cannot call; these fix the
// options Axon uses so Swift sees plain functions.

// The header of an image, pixels decoded only later and top to bottom.
static inline VipsImage *axon_vips_open(VipsSource *source) {
    return vips_image_new_from_source(source, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

// The image resized to exactly width x height per page (aspect not kept), EXIF orientation applied; every page of
// an animation when all_pages is true, else the first.
static inline int axon_vips_thumbnail(VipsSource *source, VipsImage **out, int width, int height, gboolean all_pages) {
    return vips_thumbnail_source(source, out, width, "height", height, "size", VIPS_SIZE_FORCE,
        "option_string", all_pages ? "n=-1" : "", NULL);
}

static inline int axon_vips_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}

// Frames stacked top to bottom, as libvips holds an animation.
static inline int axon_vips_stack(VipsImage **frames, VipsImage **out, int count) {
    return vips_arrayjoin(frames, out, count, "across", 1, NULL);
}

static inline int axon_vips_copy(VipsImage *in, VipsImage **out) {
    return vips_copy(in, out, NULL);
}

// Savers: metadata stripped (a thumbnail carries no EXIF, and so no location); JPEG at Synapse's quality of 80.
static inline int axon_vips_jpegsave(VipsImage *in, const char *path) {
    return vips_jpegsave(in, path, "Q", 80, "strip", TRUE, NULL);
}

static inline int axon_vips_pngsave(VipsImage *in, const char *path) {
    return vips_pngsave(in, path, "strip", TRUE, NULL);
}

static inline int axon_vips_gifsave(VipsImage *in, const char *path) {
    return vips_gifsave(in, path, "strip", TRUE, NULL);
}

static inline int axon_vips_webpsave(VipsImage *in, const char *path) {
    return vips_webpsave(in, path, "strip", TRUE, NULL);
}
