// A bounds-checked cursor over a module's bytes, shared by the decoder and the function
// validator: LEB128 integers with every limit of the binary format, fixed-width values, byte
// ranges and UTF-8 names. Errors are sticky: the first one is kept, every later read returns 0,
// and callers check ok() where it matters (before loops, at the end of a construct). Offsets are
// positions in the whole module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "engine/features.h"
#include "tern/config.h"
#include "tern/error.h"

namespace tern {

// True when [p, p+n) is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool is_valid_utf8(const uint8_t* p, size_t n);

class Reader {
 public:
  // Reads module[begin, end). `module` is the whole module, so offsets are absolute.
  Reader(std::span<const uint8_t> module, size_t begin, size_t end)
      : data_(module.data()),
        size_(module.size()),
        pos_(begin),
        end_(end),
        whole_module_(begin == 0 && end == module.size()),
        in_section_(!whole_module_) {}

  size_t pos() const { return pos_; }
  size_t end() const { return end_; }
  size_t remaining() const { return end_ - pos_; }
  bool at_end() const { return pos_ >= end_; }
  const uint8_t* data() const { return data_; }

  bool ok() const { return msg_ == nullptr; }
  // Records a Malformed error (only the first one counts) and returns false.
  bool fail(const char* msg) { return fail_at(msg, pos_); }
  bool fail_at(const char* msg, size_t at) {
    if (msg_ == nullptr) {
      msg_ = msg;
      err_at_ = at;
      pos_ = end_;  // later reads fail fast
    }
    return false;
  }
  // Records an ErrorKind::Limit error: `count` of `what` (a declared count or a size at `at`)
  // exceed ModuleLimits::`field`, which is `limit`.
  bool fail_limit(const char* what, uint64_t count, const char* field, uint64_t limit, size_t at) {
    if (msg_ != nullptr) return false;
    limit_msg_ = "too many " + std::string(what) + ": " + std::to_string(count) +
                 " exceeds the limit ModuleLimits::" + field + " = " + std::to_string(limit);
    return fail_at("limit", at);
  }
  // Records a Malformed error for a construct of a disabled proposal (see features.h).
  bool fail_disabled(std::string_view construct, std::string_view proposal, std::string_view flag,
                     size_t at) {
    if (msg_ != nullptr) return false;
    owned_msg_ = feature_disabled_message(construct, proposal, flag);
    return fail_at(owned_msg_.c_str(), at);
  }
  // The proposals the bytes may use (Config::features), for the wording of errors.
  void set_features(const WasmFeatures& features) { features_ = features; }
  const WasmFeatures& features() const { return features_; }
  // Reads a count (a LEB128 u32) and checks it against a limit (see fail_limit).
  uint32_t limited_count(const char* what, const char* field, uint64_t limit) {
    size_t at = pos_;
    uint32_t n = u32();
    if (n > limit) fail_limit(what, n, field, limit, at);
    return ok() ? n : 0;
  }
  Error error() const {
    if (!limit_msg_.empty()) return Error{ErrorKind::Limit, limit_msg_, err_at_, {}};
    return Error::malformed(msg_ ? msg_ : "", err_at_);
  }

  // Narrows the readable range to [pos, pos + n) (a section or a function body); returns the old
  // end for restore(). Fails with "length out of bounds" when n does not fit.
  size_t limit(size_t n) {
    size_t old = end_;
    if (n > remaining()) {
      fail("length out of bounds");
      return old;
    }
    end_ = pos_ + n;
    in_section_ = true;
    return old;
  }
  void restore(size_t old_end) {
    if (!ok()) return;
    end_ = old_end;
    in_section_ = !(whole_module_ && old_end == size_);
  }

  uint8_t u8() {
    if (pos_ >= end_) return fail_end();
    return data_[pos_++];
  }
  uint8_t peek() const { return pos_ < end_ ? data_[pos_] : 0; }

  uint32_t u32() {
    if (pos_ < end_ && data_[pos_] < 0x80) return data_[pos_++];
    return uint32_t(leb_unsigned(32));
  }
  uint64_t u64() { return leb_unsigned(64); }
  int32_t s32() {
    if (pos_ < end_ && data_[pos_] < 0x40) return data_[pos_++];
    return int32_t(leb_signed(32));
  }
  int64_t s33() { return leb_signed(33); }
  int64_t s64() { return leb_signed(64); }

  uint32_t fixed32() {
    uint32_t v = 0;
    if (const uint8_t* p = bytes(4)) std::memcpy(&v, p, 4);  // the format is little-endian
    return v;
  }
  uint64_t fixed64() {
    uint64_t v = 0;
    if (const uint8_t* p = bytes(8)) std::memcpy(&v, p, 8);
    return v;
  }

  // n raw bytes; nullptr (and an error) when fewer remain.
  const uint8_t* bytes(size_t n) {
    if (n > remaining()) {
      fail_end();
      return nullptr;
    }
    const uint8_t* p = data_ + pos_;
    pos_ += n;
    return p;
  }

  // A length-prefixed UTF-8 name.
  std::string name() {
    uint32_t n = u32();
    if (!ok()) return {};
    if (n > remaining()) {
      fail("length out of bounds");
      return {};
    }
    const uint8_t* p = data_ + pos_;
    if (!is_valid_utf8(p, n)) {
      fail("malformed UTF-8 encoding");
      return {};
    }
    pos_ += n;
    return std::string(reinterpret_cast<const char*>(p), n);
  }

  // A vector length. Callers read elements while ok(), so a length larger than what follows
  // ends in "unexpected end" at the first missing element; never reserve memory from it.
  uint32_t count() { return u32(); }

 private:
  uint8_t fail_end() {
    fail(in_section_ ? "unexpected end of section or function" : "unexpected end");
    return 0;
  }

  uint64_t leb_unsigned(unsigned bits) {
    uint64_t result = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (pos_ >= end_) return fail_end();
      uint8_t b = data_[pos_++];
      if (shift + 7 >= bits) {  // the last byte the width allows
        if (b & 0x80) return fail_at("integer representation too long", pos_ - 1), 0;
        unsigned room = bits - shift;
        if (room < 7 && (b >> room) != 0) return fail_at("integer too large", pos_ - 1), 0;
        return result | (uint64_t(b) << shift);
      }
      result |= uint64_t(b & 0x7F) << shift;
      if (!(b & 0x80)) return result;
    }
  }

  int64_t leb_signed(unsigned bits) {
    uint64_t result = 0;
    unsigned shift = 0;
    uint8_t b = 0;
    do {
      if (pos_ >= end_) return fail_end();
      b = data_[pos_++];
      if (shift + 7 >= bits) {
        if (b & 0x80) return fail_at("integer representation too long", pos_ - 1), 0;
        // The unused high bits of the last byte must all repeat the sign bit.
        unsigned room = bits - shift;
        int8_t seven = int8_t(uint8_t(b << 1)) >> 1;
        int8_t high = int8_t(seven >> (room - 1));
        if (room < 7 && high != 0 && high != -1) return fail_at("integer too large", pos_ - 1), 0;
      }
      result |= uint64_t(b & 0x7F) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) result |= ~uint64_t(0) << shift;
    return int64_t(result);
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_;
  size_t end_;
  bool whole_module_;
  bool in_section_;  // reading inside a section or body (for the wording of "unexpected end")
  const char* msg_ = nullptr;
  size_t err_at_ = 0;
  std::string limit_msg_;  // the message of a Limit error, when that is the error
  std::string owned_msg_;  // a composed Malformed message (msg_ points into it)
  WasmFeatures features_;
};

}  // namespace tern
