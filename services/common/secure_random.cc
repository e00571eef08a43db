#include "services/common/secure_random.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace openencoder::common {
namespace {

constexpr size_t kKeyBytes = crypto_stream_chacha20_KEYBYTES;
// Output per refill: the next key, then what callers get.
constexpr size_t kBlockBytes = 512;
// A fresh key from the kernel after this much output.
constexpr size_t kReseedBytes = size_t{1} << 20;

class Generator {
 public:
  ~Generator() { sodium_memzero(this, sizeof *this); }

  void Fill(unsigned char* out, size_t size) {
    while (size > 0) {
      if (used_ == kBlockBytes) Refill();
      const size_t take = std::min(size, kBlockBytes - used_);
      std::memcpy(out, block_ + used_, take);
      sodium_memzero(block_ + used_, take);  // handed out: not kept
      used_ += take;
      out += take;
      size -= take;
    }
  }

 private:
  void Refill() {
    if (!seeded_ || since_seed_ >= kReseedBytes) {
      randombytes_buf(key_, sizeof key_);
      seeded_ = true;
      since_seed_ = 0;
    }
    // Each key encrypts exactly one block, so a fixed nonce is safe.
    static constexpr unsigned char kNonce[crypto_stream_chacha20_NONCEBYTES] = {};
    crypto_stream_chacha20(block_, sizeof block_, kNonce, key_);
    std::memcpy(key_, block_, kKeyBytes);
    sodium_memzero(block_, kKeyBytes);
    used_ = kKeyBytes;
    since_seed_ += sizeof block_;
  }

  unsigned char key_[kKeyBytes] = {};
  unsigned char block_[kBlockBytes] = {};
  size_t used_ = kBlockBytes;
  size_t since_seed_ = 0;
  bool seeded_ = false;
};

}  // namespace

void SecureRandomBytes(void* out, size_t size) {
  // Picks libsodium's fastest ChaCha20 for this CPU; idempotent, thread-safe.
  static const int init = sodium_init();
  (void)init;
  thread_local Generator generator;
  generator.Fill(static_cast<unsigned char*>(out), size);
}

}  // namespace openencoder::common
