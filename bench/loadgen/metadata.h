// ParseMetadata: turns the --metadata flag ("key:value,key2:value2") into
// request headers.
//
// Keys are lower-cased (gRPC requires lower-case header names) and must be
// made of [a-z0-9-_.]; values are printable ASCII without ','. Whitespace
// around keys and values is dropped. An empty flag gives no metadata.
// Returns INVALID_ARGUMENT naming the bad entry otherwise.
//
//   ParseMetadata("authorization:Bearer abc,x-tenant:42")
//     -> {{"authorization", "Bearer abc"}, {"x-tenant", "42"}}
#ifndef OPENENCODER_BENCH_LOADGEN_METADATA_H_
#define OPENENCODER_BENCH_LOADGEN_METADATA_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/loadgen/load_runner.h"

namespace openencoder::loadgen {

absl::StatusOr<Metadata> ParseMetadata(absl::string_view flag);

}  // namespace openencoder::loadgen

#endif  // OPENENCODER_BENCH_LOADGEN_METADATA_H_
