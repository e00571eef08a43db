// Random bytes for values that must not be guessed (CSRF tokens, device
// ids), without a system call per value.
//
// libsodium's randombytes_buf is a getrandom system call on every call. The
// gateway mints a device id and a CSRF token for every request that comes
// without cookies, and on these machines those two calls were a few
// microseconds of kernel time per request. This is a per-thread ChaCha20
// generator with fast key erasure (the construction of OpenBSD's
// arc4random): each refill uses its key once, keeps the first 32 bytes of
// the output as the next key and wipes what it hands out, so a later copy
// of the state says nothing about values already given. The key comes from
// the kernel (randombytes_buf) on first use and again after every MiB.
//
// Not for long-term keys (use randombytes_buf); a process that forks must
// not use it in the child before exec (the child would share the state).
#ifndef OPENENCODER_SERVICES_COMMON_SECURE_RANDOM_H_
#define OPENENCODER_SERVICES_COMMON_SECURE_RANDOM_H_

#include <cstddef>

namespace openencoder::common {

// Fills `out` with `size` unpredictable bytes. Thread-safe (per-thread state).
void SecureRandomBytes(void* out, size_t size);

}  // namespace openencoder::common

#endif  // OPENENCODER_SERVICES_COMMON_SECURE_RANDOM_H_
