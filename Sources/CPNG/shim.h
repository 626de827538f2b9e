#include <png.h>
#include <string.h>

/* libpng's simplified API (png_image) reads every colour type, bit depth, palette and
   interlacing, and reports errors as a message instead of a longjmp, which Swift could not
   survive. Two calls: the size first, so the caller can refuse a huge image before allocating. */

static inline void statnet_png_message(png_imagep image, char *message, size_t capacity) {
    if (capacity == 0) return;
    strncpy(message, image->message, capacity - 1);
    message[capacity - 1] = 0;
}

/* Width and height of the PNG in memory; 0 on success, else 1 with libpng's message. */
static inline int statnet_png_size(const void *data, size_t size, unsigned *width, unsigned *height, char *message, size_t capacity) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, size)) { statnet_png_message(&image, message, capacity); return 1; }
    *width = image.width;
    *height = image.height;
    png_image_free(&image);
    return 0;
}

/* The PNG as 8-bit RGBA rows into out (width * height * 4 bytes); 0 on success, else 1 with
   libpng's message (a bad CRC, truncated data, ...). */
static inline int statnet_png_read_rgba(const void *data, size_t size, unsigned char *out, size_t out_size, char *message, size_t capacity) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, size)) { statnet_png_message(&image, message, capacity); return 1; }
    image.format = PNG_FORMAT_RGBA;
    if ((size_t)PNG_IMAGE_SIZE(image) > out_size) { png_image_free(&image); strncpy(message, "image larger than its buffer", capacity); return 1; }
    if (!png_image_finish_read(&image, NULL, out, 0, NULL)) { statnet_png_message(&image, message, capacity); return 1; }
    return 0;
}

/* Writes 8-bit grey rows as a PNG file (for tests and exporting a digit); 0 on success. */
static inline int statnet_png_write_gray(const char *path, const unsigned char *pixels, unsigned width, unsigned height) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_GRAY;
    return png_image_write_to_file(&image, path, 0, pixels, 0, NULL) ? 0 : 1;
}
