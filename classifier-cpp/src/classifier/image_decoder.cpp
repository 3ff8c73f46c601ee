#include "classifier/image_decoder.hpp"

// Decoding goes straight through libjpeg(-turbo), libpng and libwebp instead of cv::imdecode:
// Debian's libopencv-imgcodecs links GDAL and ~100 more shared libraries, which cost tens of
// milliseconds of every cold start. The calls below reproduce what OpenCV 4.6's imdecode does for
// IMREAD_COLOR (grfmt_jpeg.cpp, grfmt_png.cpp, grfmt_webp.cpp, ApplyExifOrientation), so the
// pixels, and with them the model's scores, are the same.

// jpeglib.h uses FILE and size_t without declaring them: <cstdio> comes first, on its own.
#include <cstdio>
// The decoders' C libraries.
#include <jerror.h>  // JWRN_JPEG_EOF
#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>
// The rest.
#include <algorithm>
#include <climits>
#include <csetjmp>
#include <cstddef>
#include <cstring>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "classifier/error_type.hpp"

namespace classifier {
namespace {

[[noreturn]] void undecodable(const std::string& reason) {
  throw ClassifierError(ErrorType::kUndecodableImage, reason);
}

// Keeps a library's warning for the caller, if it asked for them. Called from C callbacks, so it
// must not throw.
void keepWarning(std::vector<std::string>* warnings, const char* message) noexcept {
  if (warnings == nullptr || warnings->size() >= kMaxDecoderWarnings) return;
  try {
    warnings->emplace_back(message);
  } catch (...) {
    // Out of memory for a warning: the warning is the thing to lose.
  }
}

// The decoders enforce the pixel limit themselves, from the size the file declares, before
// anything the size of the image is allocated: a tiny file may declare 30000x30000 pixels (a
// decompression bomb). A declared size over the limit wins over any other fault of the file.

enum class ImageFormat { kPng, kJpeg, kWebp };

std::string formatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kWebp:
      break;
  }
  return "WebP";
}

[[noreturn]] void notDecoded(ImageFormat format) {
  undecodable("the " + formatName(format) + " data could not be decoded");
}

[[noreturn]] void truncated(ImageFormat format) {
  undecodable("the " + formatName(format) + " data is truncated");
}

// Throws kImageTooLarge when `width` x `height` is over `maxPixels`.
void checkPixelLimit(ImageFormat format, std::uint64_t width, std::uint64_t height,
                     std::uint64_t maxPixels) {
  if (width * height <= maxPixels) return;
  throw ClassifierError(ErrorType::kImageTooLarge,
                        formatName(format) + " declares " + std::to_string(width) + "x" +
                            std::to_string(height) + " = " + std::to_string(width * height) +
                            " pixels, over the limit of " + std::to_string(maxPixels));
}

// True when `bytes` starts with `signature`, or is a (cut) prefix of it.
bool matchesSignature(std::string_view bytes, std::string_view signature) {
  const std::size_t n = std::min(bytes.size(), signature.size());
  return n > 0 && bytes.substr(0, n) == signature.substr(0, n);
}

// The format from the file's signature; a file no longer than its signature is a truncated one.
ImageFormat sniffFormat(std::string_view bytes) {
  const auto recognised = [&bytes](ImageFormat format, std::size_t signatureLength) {
    if (bytes.size() <= signatureLength) truncated(format);
    return format;
  };
  if (matchesSignature(bytes, std::string_view("\x89PNG\r\n\x1a\n", 8))) {
    return recognised(ImageFormat::kPng, 8);
  }
  if (matchesSignature(bytes, std::string_view("\xFF\xD8\xFF", 3))) {
    return recognised(ImageFormat::kJpeg, 3);
  }
  // RIFF holds other forms too (WAVE, AVI): the form type at offset 8 decides.
  if (matchesSignature(bytes, "RIFF") &&
      (bytes.size() <= 8 || matchesSignature(bytes.substr(8), "WEBP"))) {
    return recognised(ImageFormat::kWebp, 12);
  }
  undecodable("unsupported image format (JPEG, PNG and WebP are accepted)");
}

// ---- EXIF orientation (OpenCV's ExifReader + ApplyExifOrientation, JPEG only) ----

// The orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block, 1 when absent or invalid.
int exifOrientation(const unsigned char* tiff, std::size_t size) {
  if (size < 8) return 1;
  bool littleEndian = false;
  if (tiff[0] == 'I' && tiff[1] == 'I') {
    littleEndian = true;
  } else if (!(tiff[0] == 'M' && tiff[1] == 'M')) {
    return 1;
  }
  const auto u16 = [&](std::size_t at) -> unsigned {
    return littleEndian ? static_cast<unsigned>(tiff[at] | (tiff[at + 1] << 8))
                        : static_cast<unsigned>((tiff[at] << 8) | tiff[at + 1]);
  };
  const auto u32 = [&](std::size_t at) -> std::size_t {
    return littleEndian ? (std::size_t{u16(at + 2)} << 16) | u16(at)
                        : (std::size_t{u16(at)} << 16) | u16(at + 2);
  };
  if (u16(2) != 42) return 1;
  const std::size_t ifd = u32(4);
  if (ifd > size - 2) return 1;
  const std::size_t entries = u16(ifd);
  for (std::size_t i = 0; i < entries; ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    if (entry + 12 > size) return 1;
    if (u16(entry) == 0x0112) {
      const unsigned value = u16(entry + 8);  // type SHORT, count 1: the value is inline
      return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
    }
  }
  return 1;
}

void applyExifOrientation(int orientation, cv::Mat& image) {
  switch (orientation) {
    case 2:  // top-right: mirrored
      cv::flip(image, image, 1);
      break;
    case 3:  // bottom-right: rotated 180°
      cv::flip(image, image, -1);
      break;
    case 4:  // bottom-left: flipped vertically
      cv::flip(image, image, 0);
      break;
    case 5:  // left-top: transposed
      cv::transpose(image, image);
      break;
    case 6:  // right-top: rotated 90° clockwise to display
      cv::transpose(image, image);
      cv::flip(image, image, 1);
      break;
    case 7:  // right-bottom: transversed
      cv::transpose(image, image);
      cv::flip(image, image, -1);
      break;
    case 8:  // left-bottom: rotated 90° counter-clockwise to display
      cv::transpose(image, image);
      cv::flip(image, image, 0);
      break;
    default:
      break;
  }
}

// ---- JPEG ----
// libjpeg's default error_exit calls exit(). Ours longjmps back into the function that called
// libjpeg; those functions (readJpegHeader, readJpegPixels) hold no C++ objects with destructors
// between setjmp and the libjpeg calls, so nothing is skipped by the jump.

struct JpegErrorManager {
  jpeg_error_mgr base;  // first member: libjpeg sees a jpeg_error_mgr*
  std::jmp_buf jump;
  std::vector<std::string>* warnings;
  // The data ended early: libjpeg only warns, then feeds itself a fake EOI marker and grey-fills
  // the missing part of the image.
  bool prematureEnd;
  // Whether the frame's size was read from real data, before the end (else the fake marker's bytes
  // may have been read as the size).
  bool sizeReadBeforeEnd;
};

void jpegErrorExit(j_common_ptr cinfo) {
  std::longjmp(reinterpret_cast<JpegErrorManager*>(cinfo->err)->jump, 1);
}

// libjpeg's default prints warnings (level -1) to stderr; trace messages (level >= 0) are dropped.
void jpegEmitMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  auto* manager = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  if (cinfo->err->msg_code == JWRN_JPEG_EOF && !manager->prematureEnd) {
    manager->prematureEnd = true;
    const auto* decompress = reinterpret_cast<j_decompress_ptr>(cinfo);
    manager->sizeReadBeforeEnd = decompress->image_width != 0 && decompress->image_height != 0;
  }
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  keepWarning(manager->warnings, text);
  ++cinfo->err->num_warnings;
}

class JpegDecompressor {
 public:
  explicit JpegDecompressor(std::vector<std::string>* warnings) {
    cinfo_.err = jpeg_std_error(&error_.base);
    error_.base.error_exit = jpegErrorExit;
    error_.base.emit_message = jpegEmitMessage;
    error_.warnings = warnings;
    error_.prematureEnd = false;
    error_.sizeReadBeforeEnd = false;
  }
  ~JpegDecompressor() {
    if (created_) jpeg_destroy_decompress(&cinfo_);
  }
  JpegDecompressor(const JpegDecompressor&) = delete;
  JpegDecompressor& operator=(const JpegDecompressor&) = delete;

  // Reads the header and chooses the output colour space as OpenCV does. False on a libjpeg error;
  // the frame's size is known (declaredWidth/Height) as soon as libjpeg has read the SOF marker.
  bool readHeader(const unsigned char* data, unsigned long size) {
    if (setjmp(error_.jump) != 0) return false;
    jpeg_create_decompress(&cinfo_);
    created_ = true;
    jpeg_mem_src(&cinfo_, data, size);
    jpeg_save_markers(&cinfo_, JPEG_APP0 + 1, 0xffff);  // APP1: EXIF
    jpeg_read_header(&cinfo_, TRUE);
    if (cinfo_.num_components != 4) {
      cinfo_.out_color_space = JCS_EXT_BGR;  // libjpeg-turbo converts YCbCr/gray/RGB to BGR
      cinfo_.out_color_components = 3;
    } else {
      cinfo_.out_color_space = JCS_CMYK;  // converted to BGR below, as icvCvt_CMYK2BGR_8u_C4C3R
      cinfo_.out_color_components = 4;
    }
    jpeg_calc_output_dimensions(&cinfo_);
    return true;
  }

  // The frame's declared size, 0 x 0 until libjpeg has read it from the file.
  std::uint64_t declaredWidth() const { return sizeIsReal() ? cinfo_.image_width : 0; }
  std::uint64_t declaredHeight() const { return sizeIsReal() ? cinfo_.image_height : 0; }
  bool endedEarly() const { return error_.prematureEnd; }
  int width() const { return static_cast<int>(cinfo_.output_width); }
  int height() const { return static_cast<int>(cinfo_.output_height); }
  bool isCmyk() const { return cinfo_.out_color_space == JCS_CMYK; }

  // Decodes every scanline into `rows` (height pointers). False on a libjpeg error.
  bool readPixels(unsigned char* const* rows) {
    if (setjmp(error_.jump) != 0) return false;
    jpeg_start_decompress(&cinfo_);
    while (cinfo_.output_scanline < cinfo_.output_height) {
      unsigned char* row = rows[cinfo_.output_scanline];
      jpeg_read_scanlines(&cinfo_, &row, 1);
    }
    return true;
  }

  // Consumes the rest of the stream; a complaint there does not spoil the pixels already read.
  void finish() {
    if (setjmp(error_.jump) != 0) return;
    jpeg_finish_decompress(&cinfo_);
  }

  int orientation() const {
    for (jpeg_saved_marker_ptr marker = cinfo_.marker_list; marker != nullptr;
         marker = marker->next) {
      if (marker->marker == JPEG_APP0 + 1 && marker->data_length > 6 &&
          std::memcmp(marker->data, "Exif\0\0", 6) == 0) {
        return exifOrientation(marker->data + 6, marker->data_length - 6);
      }
    }
    return 1;
  }

 private:
  bool sizeIsReal() const { return !error_.prematureEnd || error_.sizeReadBeforeEnd; }

  jpeg_decompress_struct cinfo_{};
  JpegErrorManager error_{};
  bool created_ = false;
};

cv::Mat decodeJpeg(std::string_view bytes, std::uint64_t maxPixels,
                   std::vector<std::string>* warnings) {
  JpegDecompressor jpeg(warnings);
  const bool headerRead = jpeg.readHeader(reinterpret_cast<const unsigned char*>(bytes.data()),
                                          static_cast<unsigned long>(bytes.size()));
  // Checked before jpeg_start_decompress, which allocates for the whole frame.
  checkPixelLimit(ImageFormat::kJpeg, jpeg.declaredWidth(), jpeg.declaredHeight(), maxPixels);
  const auto failed = [&jpeg] {
    if (jpeg.endedEarly()) truncated(ImageFormat::kJpeg);
    notDecoded(ImageFormat::kJpeg);
  };
  if (!headerRead) failed();
  // Read now: jpeg_finish_decompress frees the saved markers.
  const int orientation = jpeg.orientation();
  cv::Mat decoded(jpeg.height(), jpeg.width(), jpeg.isCmyk() ? CV_8UC4 : CV_8UC3);
  std::vector<unsigned char*> rows(static_cast<std::size_t>(decoded.rows));
  for (int y = 0; y < decoded.rows; ++y) rows[static_cast<std::size_t>(y)] = decoded.ptr(y);
  if (!jpeg.readPixels(rows.data())) failed();
  jpeg.finish();
  // A cut file decodes "successfully" with grey rows; the EOI marker must be there.
  if (jpeg.endedEarly()) truncated(ImageFormat::kJpeg);

  cv::Mat image;
  if (jpeg.isCmyk()) {
    // Adobe's inverted CMYK as libjpeg delivers it, with OpenCV's integer formula.
    image.create(decoded.rows, decoded.cols, CV_8UC3);
    for (int y = 0; y < decoded.rows; ++y) {
      const unsigned char* cmyk = decoded.ptr(y);
      unsigned char* bgr = image.ptr(y);
      for (int x = 0; x < decoded.cols; ++x, cmyk += 4, bgr += 3) {
        const int k = cmyk[3];
        bgr[2] = static_cast<unsigned char>(k - (((255 - cmyk[0]) * k) >> 8));
        bgr[1] = static_cast<unsigned char>(k - (((255 - cmyk[1]) * k) >> 8));
        bgr[0] = static_cast<unsigned char>(k - (((255 - cmyk[2]) * k) >> 8));
      }
    }
  } else {
    image = decoded;
  }
  applyExifOrientation(orientation, image);
  return image;
}

// ---- PNG ----
// Same scheme: libpng's error callback longjmps to png_jmpbuf, set in the functions below.

struct PngSource {
  const unsigned char* data;
  std::size_t size;
  std::size_t offset;
  bool ranOut;
};

void pngRead(png_structp png, png_bytep out, std::size_t length) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (length > source->size - source->offset) {
    source->ranOut = true;
    png_error(png, "read past the end of the data");
  }
  std::memcpy(out, source->data + source->offset, length);
  source->offset += length;
}

void pngError(png_structp png, png_const_charp /*message*/) { png_longjmp(png, 1); }

// Replaces libpng's default, a "libpng warning: ..." line on stderr.
void pngWarning(png_structp png, png_const_charp message) {
  keepWarning(static_cast<std::vector<std::string>*>(png_get_error_ptr(png)), message);
}

class PngReader {
 public:
  PngReader(std::string_view bytes, std::uint64_t maxPixels, std::vector<std::string>* warnings)
      : source_{reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), 0, false} {
    png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, warnings, pngError, pngWarning);
    if (png_ != nullptr) {
      // libpng's own guard, in IHDR: neither side can exceed the pixel limit (the other is >= 1).
      const auto sideLimit =
          static_cast<png_uint_32>(std::min<std::uint64_t>(maxPixels, PNG_UINT_31_MAX));
      png_set_user_limits(png_, sideLimit, sideLimit);
      info_ = png_create_info_struct(png_);
    }
    if (info_ != nullptr) endInfo_ = png_create_info_struct(png_);
  }
  ~PngReader() {
    if (png_ != nullptr) png_destroy_read_struct(&png_, &info_, &endInfo_);
  }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;

  // Reads the header and sets up the transformations of OpenCV's PngDecoder::readData for an
  // 8-bit, 3-channel destination. False on a libpng error.
  bool readHeader() {
    if (endInfo_ == nullptr) return false;
    if (setjmp(png_jmpbuf(png_)) != 0) return false;
    png_set_read_fn(png_, &source_, pngRead);
    png_read_info(png_, info_);
    const int bitDepth = png_get_bit_depth(png_, info_);
    const int colorType = png_get_color_type(png_, info_);
    if (bitDepth == 16) png_set_strip_16(png_);
    png_set_strip_alpha(png_);  // alpha is dropped, not composited, as imdecode does
    if (colorType == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png_);
    if ((colorType & PNG_COLOR_MASK_COLOR) == 0 && bitDepth < 8) {
      png_set_expand_gray_1_2_4_to_8(png_);
    }
    if ((colorType & PNG_COLOR_MASK_COLOR) != 0) {
      png_set_bgr(png_);
    } else {
      png_set_gray_to_rgb(png_);
    }
    png_set_interlace_handling(png_);
    png_read_update_info(png_, info_);
    return true;
  }

  int width() const { return static_cast<int>(png_get_image_width(png_, info_)); }
  int height() const { return static_cast<int>(png_get_image_height(png_, info_)); }
  std::size_t rowBytes() const { return png_get_rowbytes(png_, info_); }
  bool ranOut() const { return source_.ranOut; }

  // Reads all rows (interlaced images too) and the chunks after them. False on a libpng error.
  bool readPixels(unsigned char** rows) {
    if (setjmp(png_jmpbuf(png_)) != 0) return false;
    png_read_image(png_, rows);
    png_read_end(png_, endInfo_);
    return true;
  }

 private:
  PngSource source_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
  png_infop endInfo_ = nullptr;
};

// IHDR must be the first chunk, so the declared size sits at a fixed place; it is checked there,
// before libpng reads on (and whatever the rest of the file holds, a CRC included).
void checkPngDeclaredSize(std::string_view bytes, std::uint64_t maxPixels) {
  constexpr std::size_t kIhdrSizeEnd = 24;
  if (bytes.size() < kIhdrSizeEnd || bytes.substr(12, 4) != "IHDR") return;  // libpng refuses it
  const auto bigEndian32 = [&bytes](std::size_t at) {
    std::uint64_t value = 0;
    for (std::size_t i = at; i < at + 4; ++i)
      value = (value << 8) | static_cast<unsigned char>(bytes[i]);
    return value;
  };
  checkPixelLimit(ImageFormat::kPng, bigEndian32(16), bigEndian32(20), maxPixels);
}

cv::Mat decodePng(std::string_view bytes, std::uint64_t maxPixels,
                  std::vector<std::string>* warnings) {
  checkPngDeclaredSize(bytes, maxPixels);
  PngReader png(bytes, maxPixels, warnings);
  const auto failed = [&png] {
    if (png.ranOut()) truncated(ImageFormat::kPng);
    notDecoded(ImageFormat::kPng);
  };
  if (!png.readHeader()) failed();
  cv::Mat image(png.height(), png.width(), CV_8UC3);
  if (png.rowBytes() != static_cast<std::size_t>(image.cols) * 3) notDecoded(ImageFormat::kPng);
  std::vector<unsigned char*> rows(static_cast<std::size_t>(image.rows));
  for (int y = 0; y < image.rows; ++y) rows[static_cast<std::size_t>(y)] = image.ptr(y);
  if (!png.readPixels(rows.data())) failed();
  return image;
}

// ---- WebP ----

cv::Mat decodeWebp(std::string_view bytes, std::uint64_t maxPixels) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  WebPDecoderConfig config;
  if (WebPInitDecoderConfig(&config) == 0) notDecoded(ImageFormat::kWebp);
  // An extended (VP8X) header declares the canvas even when the data stops right after it.
  const VP8StatusCode header = WebPGetFeatures(data, bytes.size(), &config.input);
  checkPixelLimit(ImageFormat::kWebp, static_cast<std::uint64_t>(std::max(config.input.width, 0)),
                  static_cast<std::uint64_t>(std::max(config.input.height, 0)), maxPixels);
  if (header == VP8_STATUS_NOT_ENOUGH_DATA) truncated(ImageFormat::kWebp);
  if (header != VP8_STATUS_OK) notDecoded(ImageFormat::kWebp);

  // Decoding to BGR ignores alpha: the same pixels as OpenCV's BGRA decode + BGRA2BGR.
  cv::Mat image(config.input.height, config.input.width, CV_8UC3);
  config.output.colorspace = MODE_BGR;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = image.data;
  config.output.u.RGBA.stride = static_cast<int>(image.step[0]);
  config.output.u.RGBA.size = image.step[0] * static_cast<std::size_t>(image.rows);
  const VP8StatusCode decoded = WebPDecode(data, bytes.size(), &config);
  WebPFreeDecBuffer(
      &config.output);  // nothing to free in external memory; kept for the API's contract
  if (decoded == VP8_STATUS_NOT_ENOUGH_DATA) truncated(ImageFormat::kWebp);
  if (decoded != VP8_STATUS_OK) notDecoded(ImageFormat::kWebp);
  return image;
}

}  // namespace

cv::Mat decodeImage(std::string_view bytes, std::uint64_t maxPixels,
                    std::vector<std::string>* warnings) {
  if (bytes.empty()) undecodable("the image is empty");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw ClassifierError(ErrorType::kImageTooLarge, "the image exceeds 2 GiB");
  }
  const ImageFormat format = sniffFormat(bytes);
  cv::Mat image;
  switch (format) {
    case ImageFormat::kJpeg:
      image = decodeJpeg(bytes, maxPixels, warnings);
      break;
    case ImageFormat::kPng:
      image = decodePng(bytes, maxPixels, warnings);
      break;
    case ImageFormat::kWebp:
      image = decodeWebp(bytes, maxPixels);
      break;
  }
  if (image.empty()) notDecoded(format);
  return image;
}

}  // namespace classifier
