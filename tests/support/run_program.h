// RunProgram: runs a helper program (redis-cli, deploy/redis/make-aclfile)
// for the test harness, without a shell, bounded in time.
#ifndef OPENENCODER_TESTS_SUPPORT_RUN_PROGRAM_H_
#define OPENENCODER_TESTS_SUPPORT_RUN_PROGRAM_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace openencoder::test_support {

// Runs argv `args` (args[0] a path) with stdout and stderr to `log` and stdin
// from /dev/null; the child dies with the calling thread. OK if it exits 0;
// kUnavailable with the log if it fails; kDeadlineExceeded (and killed) if it
// has not finished by `deadline`.
absl::Status RunProgram(std::vector<std::string> args, const std::string& log, absl::Time deadline);

}  // namespace openencoder::test_support

#endif  // OPENENCODER_TESTS_SUPPORT_RUN_PROGRAM_H_
